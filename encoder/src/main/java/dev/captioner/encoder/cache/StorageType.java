package dev.captioner.encoder.cache;

import ai.djl.ndarray.types.DataType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * How floats are stored on disk, in a feature cache and in a model package's weights alike: little-endian
 * IEEE float32, or IEEE float16 (half the disk and page cache, about 3 significant digits; see
 * {@link HalfFloat}). Reads always give float32. The one owner of the names {@code float32} and
 * {@code float16}.
 */
public enum StorageType {
    /** 4 bytes a value, exact. */
    FLOAT32("float32", 4) {
        @Override
        void encode(float[] src, int offset, int length, ByteBuffer dst) {
            dst.asFloatBuffer().put(src, offset, length);
            dst.position(dst.position() + length * Float.BYTES);
        }

        @Override
        Buffer view(ByteBuffer mapped) {
            return mapped.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }

        @Override
        void decode(Buffer view, int index, float[] dst, int offset, int length) {
            ((FloatBuffer) view).get(index, dst, offset, length);
        }

        @Override
        void decode(Buffer view, int index, FloatBuffer dst, int length) {
            dst.put(((FloatBuffer) view).slice(index, length));
        }
    },

    /** 2 bytes a value, rounded to the nearest half, ties to even. */
    FLOAT16("float16", 2) {
        @Override
        void encode(float[] src, int offset, int length, ByteBuffer dst) {
            for (int i = offset, end = offset + length; i < end; i++) {
                dst.putShort(HalfFloat.fromFloat(src[i]));
            }
        }

        @Override
        Buffer view(ByteBuffer mapped) {
            return mapped.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        }

        @Override
        void decode(Buffer view, int index, float[] dst, int offset, int length) {
            ShortBuffer halves = (ShortBuffer) view;
            for (int i = 0; i < length; i++) {
                dst[offset + i] = HalfFloat.toFloat(halves.get(index + i));
            }
        }

        @Override
        void decode(Buffer view, int index, FloatBuffer dst, int length) {
            ShortBuffer halves = (ShortBuffer) view;
            for (int i = 0; i < length; i++) {
                dst.put(HalfFloat.toFloat(halves.get(index + i)));
            }
        }
    };

    private final String jsonName;
    private final int bytes;

    StorageType(String jsonName, int bytes) {
        this.jsonName = jsonName;
        this.bytes = bytes;
    }

    /** The name in {@code cache.json}: {@code float32} or {@code float16}. */
    public String jsonName() {
        return jsonName;
    }

    /** Bytes a value. */
    public int bytes() {
        return bytes;
    }

    /** The element type tensors are written in. */
    public DataType dataType() {
        return this == FLOAT32 ? DataType.FLOAT32 : DataType.FLOAT16;
    }

    /**
     * The type of a name, {@code float32} or {@code float16}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StorageType parse(String name) {
        StorageType type = fromJsonName(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown storage '" + name + "' (expected float32 or float16)");
        }
        return type;
    }

    /** The type of a {@code cache.json} or {@code config.json} name, or null for an unknown name. */
    public static StorageType fromJsonName(String name) {
        for (StorageType type : values()) {
            if (type.jsonName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** Appends {@code length} values at the position of {@code dst}, a little-endian buffer. */
    abstract void encode(float[] src, int offset, int length, ByteBuffer dst);

    /** A typed little-endian view of a mapped region; its index counts values. */
    abstract Buffer view(ByteBuffer mapped);

    /** Reads {@code length} values from value {@code index} of a {@link #view}, which is not moved. */
    abstract void decode(Buffer view, int index, float[] dst, int offset, int length);

    /** Same, into {@code dst} at its position, which moves on by {@code length}. */
    abstract void decode(Buffer view, int index, FloatBuffer dst, int length);

    @Override
    public String toString() {
        return jsonName;
    }
}
