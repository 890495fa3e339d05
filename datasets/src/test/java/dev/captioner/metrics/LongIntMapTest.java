package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntMapTest {

    @Test
    void keepsEveryKeysFirstValueThroughManyResizes() {
        LongIntMap map = new LongIntMap(1);
        Map<Long, Integer> expected = new HashMap<>();
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            // n-gram keys: (prefix id << 32) | token id, with repeats
            long key = ((long) random.nextInt(3_000) << 32) | random.nextInt(400);
            int next = expected.size();
            Integer want = expected.putIfAbsent(key, next);
            assertEquals(want == null ? next : want, map.getOrPut(key, next));
        }
        assertEquals(expected.size(), map.size());
        expected.forEach((key, value) -> assertEquals(value, map.getOrPut(key, -7)));
    }

    @Test
    void zeroIsAKeyLikeAnyOther() {
        LongIntMap map = new LongIntMap(4);
        assertEquals(3, map.getOrPut(0L, 3));
        assertEquals(3, map.getOrPut(0L, 9));
    }
}
