package dev.captioner.encoder.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.SplittableRandom;

/** Features that are a function of the image id, so any record can be checked after the fact. */
final class TestFeatures {
    private TestFeatures() {}

    static CacheLayout layout(int h, int w, int d, StorageType storage) {
        return CacheLayout.builder().setGrid(h, w).setChannels(d).setEncoder("test-cnn@32").optStorage(storage).build();
    }

    static float[] grid(CacheLayout layout, long id) {
        return values(id, layout.gridValues());
    }

    static float[] pooled(CacheLayout layout, long id) {
        return values(~id, layout.channels());
    }

    /** Mostly ReLU-like activations in [0, 8), some negative, some tiny, some large. */
    private static float[] values(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            out[i] = (float) (u < 0.05 ? -random.nextDouble() : u < 0.1 ? random.nextDouble() * 1e-5
                    : u < 0.12 ? random.nextDouble() * 3e4 : random.nextDouble() * 8);
        }
        return out;
    }

    /** What the cache should give back: the values themselves, or their nearest halves. */
    static float[] stored(CacheLayout layout, float[] values) {
        if (layout.storage() == StorageType.FLOAT32) {
            return values.clone();
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = HalfFloat.toFloat(HalfFloat.fromFloat(values[i]));
        }
        return out;
    }

    static void put(FeatureCache cache, long id) throws IOException {
        cache.put(id, grid(cache.layout(), id), pooled(cache.layout(), id));
    }

    /** Reads an image back and checks it, exactly as stored. */
    static void check(FeatureCache cache, long id) throws IOException {
        CacheLayout layout = cache.layout();
        float[] grid = new float[layout.gridValues()];
        float[] pooled = new float[layout.channels()];
        cache.readGrid(id, grid);
        cache.readPooled(id, pooled);
        assertArrayEquals(stored(layout, grid(layout, id)), grid, "grid of image " + id);
        assertArrayEquals(stored(layout, pooled(layout, id)), pooled, "pooled vector of image " + id);
    }

    static void checkAll(FeatureCache cache, long fromId, long toId) throws IOException {
        assertEquals(toId - fromId, cache.size());
        for (long id = fromId; id < toId; id++) {
            check(cache, id);
        }
    }
}
