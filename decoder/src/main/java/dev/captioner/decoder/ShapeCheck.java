package dev.captioner.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Shape and type checks that run in Java before any native op, so that a wrong input fails with one
 * readable line (which block, which input, expected and found dimensions) instead of a libtorch stack
 * trace. Each check costs a few field reads: the PyTorch engine caches shapes and types on the Java side.
 */
public final class ShapeCheck {

    /** A dimension that may take any size (a batch or a sequence length not fixed yet). */
    public static final long ANY = -1;

    private ShapeCheck() {}

    /**
     * Requires {@code found} to have {@code names.length} dimensions, each equal to {@code sizes[j]}
     * unless that is {@link #ANY}.
     *
     * @param owner the block's name, first in the message
     * @param what the input's name
     * @param found the input's shape
     * @param names the dimensions' names, such as {@code {"B", "L", "D"}}
     * @param sizes the sizes required, {@link #ANY} for a free dimension
     * @throws IllegalArgumentException naming the block, the input, expected and found dimensions, as in
     *     {@code SoftAttention: a must be (B, L, D=512), found (2, 49, 256)}
     */
    public static void require(String owner, String what, Shape found, String[] names, long... sizes) {
        if (names.length != sizes.length) {
            throw new IllegalArgumentException("names and sizes differ in length");
        }
        boolean ok = found.dimension() == sizes.length;
        for (int j = 0; ok && j < sizes.length; j++) {
            ok = sizes[j] == ANY || found.get(j) == sizes[j];
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    owner + ": " + what + " must be " + describe(names, sizes) + ", found " + found);
        }
    }

    /** As {@link #require(String, String, Shape, String[], long...)} for an array's shape. */
    public static void require(String owner, String what, NDArray array, String[] names, long... sizes) {
        require(owner, what, array.getShape(), names, sizes);
    }

    /** Requires {@code array} to hold {@code type}, the type of the block's parameters. */
    public static void requireType(String owner, String what, NDArray array, DataType type) {
        if (array.getDataType() != type) {
            throw new IllegalArgumentException(
                    owner + ": " + what + " is " + array.getDataType() + " but the parameters are " + type);
        }
    }

    /** {@code (B, L, D=512)}: free dimensions by name, fixed ones as name=size. */
    static String describe(String[] names, long[] sizes) {
        StringBuilder b = new StringBuilder("(");
        for (int j = 0; j < names.length; j++) {
            if (j > 0) {
                b.append(", ");
            }
            b.append(names[j]);
            if (sizes[j] != ANY) {
                b.append('=').append(sizes[j]);
            }
        }
        return b.append(')').toString();
    }
}
