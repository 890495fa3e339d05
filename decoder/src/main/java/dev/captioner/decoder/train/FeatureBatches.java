package dev.captioner.decoder.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;

/**
 * Where training reads the images' encoder features, by image id. The trainer needs no more than this,
 * so the decoder module knows nothing of encoders or of how features are stored: the feature cache is
 * one implementation ({@code dev.captioner.pipeline.CachedFeatures}), an in-memory table another.
 */
public interface FeatureBatches {
    /** L, the locations of each image's grid. */
    int locations();

    /** D, the channels of every feature vector. */
    int channels();

    /**
     * The features of {@code ids}, in their order, made in {@code manager}.
     *
     * @return the grid (B, L, D) and the pooled vector (B, D)
     * @throws IOException where the features of an id cannot be read
     */
    NDList batch(NDManager manager, List<Long> ids) throws IOException;

    /** What the features are, for messages, e.g. a cache's layout. */
    String describe();
}
