package dev.captioner.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What an encoder makes of a batch of images, both from one pass: the spatial grid that soft attention
 * looks over, and the pooled vector that the plain decoder starts from.
 *
 * @param grid   (B, L, D): L = H'·W' locations of the last conv stage, row by row, D channels
 * @param pooled (B, D): the mean of the grid over its L locations
 */
public record EncodedImages(NDArray grid, NDArray pooled) implements AutoCloseable {

    /** Builds both from a (B, D, H', W') feature map. */
    public static EncodedImages fromFeatureMap(NDArray map) {
        long b = map.getShape().get(0);
        long d = map.getShape().get(1);
        NDArray grid = map.reshape(b, d, -1).transpose(0, 2, 1); // (B, L, D)
        NDArray pooled = grid.mean(new int[] {1}); // (B, D)
        return new EncodedImages(grid, pooled);
    }

    /** Locations per image, L. */
    public long locations() {
        return grid.getShape().get(1);
    }

    /** Channels, D. */
    public long channels() {
        return grid.getShape().get(2);
    }

    public NDList toList() {
        return new NDList(grid, pooled);
    }

    @Override
    public void close() {
        grid.close();
        pooled.close();
    }
}
