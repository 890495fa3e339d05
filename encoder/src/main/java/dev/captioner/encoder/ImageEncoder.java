package dev.captioner.encoder;

import ai.djl.ndarray.NDArray;

/**
 * A CNN that turns a batch of preprocessed images, (B, 3, S, S) normalised with the ImageNet mean and
 * std, into {@link EncodedImages}: a (B, L, D) grid and a (B, D) pooled vector from one pass.
 * Implementations: a DJL backbone block ({@code resnet18}, {@code vgg16}, ...), a TorchScript file,
 * a model-zoo model.
 */
public interface ImageEncoder extends AutoCloseable {

    /** Encodes a batch; the results belong to the input array's manager. */
    EncodedImages encode(NDArray images);

    /** The square input side S the encoder expects. */
    int inputSize();

    /** Channels D of the grid and the pooled vector. */
    int featureSize();

    /** Locations L of the grid at {@link #inputSize()}. */
    int locations();

    /** A short description, e.g. {@code resnet18@224 (7x7x512)}. */
    String describe();

    @Override
    void close();
}
