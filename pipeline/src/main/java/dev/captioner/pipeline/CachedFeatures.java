package dev.captioner.pipeline;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.captioner.decoder.train.FeatureBatches;
import dev.captioner.encoder.cache.FeatureCache;
import java.io.IOException;
import java.util.List;

/**
 * A {@link FeatureCache} as the trainer reads it ({@link FeatureBatches}): the one place where the
 * encoder's storage meets the decoder's training, so that neither module depends on the other.
 */
public final class CachedFeatures implements FeatureBatches {
    private final FeatureCache cache;

    private CachedFeatures(FeatureCache cache) {
        this.cache = cache;
    }

    /** The cache's features; the cache stays the caller's to close. */
    public static CachedFeatures of(FeatureCache cache) {
        return new CachedFeatures(cache);
    }

    @Override
    public int locations() {
        return cache.layout().locations();
    }

    @Override
    public int channels() {
        return cache.layout().channels();
    }

    @Override
    public NDList batch(NDManager manager, List<Long> ids) throws IOException {
        return cache.batch(manager, ids); // (B, L, D), (B, D)
    }

    @Override
    public String describe() {
        return cache.layout().toString();
    }
}
