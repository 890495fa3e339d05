package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;

/** Checks and small helpers the searches share. */
final class Searches {
    private Searches() {}

    /** n, the number of images of {@code pooled} (n, D); at least 1. */
    static int imageCount(NDArray pooled) {
        if (pooled == null) {
            throw new IllegalArgumentException("search: the pooled features (n, D) are required");
        }
        if (pooled.getShape().dimension() != 2) {
            throw new IllegalArgumentException("search: the pooled features must be (n, D), got " + pooled.getShape());
        }
        long n = pooled.getShape().get(0);
        if (n < 1) {
            throw new IllegalArgumentException("search: no images to decode (pooled is " + pooled.getShape() + ")");
        }
        return Math.toIntExact(n);
    }

    /**
     * Whether to drop the rows of finished images now: when they are a quarter of the rows or more.
     * Dropping copies every remaining row's grid and projection (R, L, D + A), about one step's worth
     * of memory traffic, so it pays only once enough rows go.
     */
    static boolean worthCompacting(int endedRows, int rows) {
        return endedRows > 0 && 4 * endedRows >= rows;
    }

    static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
        return value;
    }

    static void checkMinLength(int minLength, int maxLength) {
        if (minLength < 0 || minLength > maxLength) {
            throw new IllegalArgumentException("the minimum length must be between 0 and the maximum length " + maxLength
                    + ", got " + minLength);
        }
    }
}
