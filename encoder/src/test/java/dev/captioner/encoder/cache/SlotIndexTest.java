package dev.captioner.encoder.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlotIndexTest {

    @Test
    void findsEverySlotThroughGrowth() {
        SlotIndex index = new SlotIndex(0);
        SplittableRandom random = new SplittableRandom(3);
        long[] ids = new long[50_000];
        for (int i = 0; i < ids.length; i++) {
            // Sequential, strided and random ids, negative ones and the extremes.
            ids[i] = i % 3 == 0 ? i : i % 3 == 1 ? -1024L * i : random.nextLong();
            if (index.slotOf(ids[i]) >= 0) {
                ids[i] = Long.MIN_VALUE + i;
            }
            assertEquals(i, index.add(ids[i]));
        }
        assertEquals(ids.length, index.size());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, index.slotOf(ids[i]));
            assertEquals(ids[i], index.idAt(i));
        }
        assertEquals(-1, index.slotOf(Long.MAX_VALUE));
        assertArrayEquals(ids, index.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> index.idAt(ids.length));
    }
}
