package dev.captioner.pipeline.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * How a package stores its weights (the decoder's and, where the package carries them, the encoder's).
 * Float16 halves the file, with about three significant digits per weight; weights are always loaded
 * back as float32.
 */
public enum Storage {
    FLOAT32(DataType.FLOAT32),
    FLOAT16(DataType.FLOAT16);

    private final DataType dataType;

    Storage(DataType dataType) {
        this.dataType = dataType;
    }

    /** The element type weights are written in. */
    public DataType dataType() {
        return dataType;
    }

    /** The name in config.json and on the command line: {@code float32} or {@code float16}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The storage of a name, {@code float32} or {@code float16}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Storage parse(String id) {
        for (Storage storage : values()) {
            if (storage.id().equals(id)) {
                return storage;
            }
        }
        throw new IllegalArgumentException("unknown storage '" + id + "' (expected float32 or float16)");
    }
}
