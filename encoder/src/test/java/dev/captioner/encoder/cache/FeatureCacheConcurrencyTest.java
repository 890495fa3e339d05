package dev.captioner.encoder.cache;

import static dev.captioner.encoder.cache.TestFeatures.check;
import static dev.captioner.encoder.cache.TestFeatures.layout;
import static dev.captioner.encoder.cache.TestFeatures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheConcurrencyTest {
    @TempDir
    Path tmp;

    /** Readers on three threads check every record they find while one thread writes, across mappings of 7 records. */
    @Test
    void readersSeeWholeRecordsWhileOneThreadWrites() throws Exception {
        CacheLayout layout = layout(2, 2, 8, StorageType.FLOAT16);
        Path dir = tmp.resolve("cache");
        FeatureCache.create(dir, layout).close();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (FeatureCache cache = FeatureCache.open(dir, 50, 7L * layout.recordBytes())) {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                reads.add(readers.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int checked = 0;
                    while (writing.get() || checked < 100) {
                        int size = cache.size(); // ids 0 .. size-1 are there: they are put in order
                        if (size > 0) {
                            check(cache, random.nextInt(size));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (long id = 0; id < 2000; id++) {
                put(cache, id);
            }
            writing.set(false);
            for (Future<Integer> read : reads) {
                assertTrue(read.get() >= 100);
            }
        } finally {
            readers.shutdownNow();
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            TestFeatures.checkAll(cache, 0, 2000);
        }
    }

    @Test
    void layoutsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> CacheLayout.builder().setGrid(7, 7).setChannels(512).build());
        assertThrows(IllegalArgumentException.class,
                () -> CacheLayout.builder().setGrid(7, 7).setChannels(512).setEncoder(" ").build());
        assertThrows(IllegalArgumentException.class, () -> CacheLayout.builder().setGrid(0, 7).setChannels(512).setEncoder("x").build());
        assertThrows(IllegalArgumentException.class,
                () -> CacheLayout.builder().setGrid(1 << 12, 1 << 12).setChannels(1 << 12).setEncoder("x").build());
        CacheLayout layout = CacheLayout.builder().setGrid(14, 14).setChannels(512).setEncoder("resnet18@448").build();
        assertEquals(StorageType.FLOAT32, layout.storage());
        assertEquals(196, layout.locations());
        assertEquals(197 * 512 * 4, layout.recordBytes());
        assertEquals("14x14x512 float32 \"resnet18@448\"", layout.toString());
    }
}
