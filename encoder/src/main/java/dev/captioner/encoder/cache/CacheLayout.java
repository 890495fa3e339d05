package dev.captioner.encoder.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every record of a feature cache holds and how: a grid of H'·W' = L locations of D channels, the
 * pooled vector of D channels, the storage type, and the encoder that made them. Two caches with equal
 * layouts hold interchangeable features; {@link FeatureCache#create} refuses a folder whose layout
 * differs in any of these.
 *
 * <pre>{@code
 * CacheLayout layout = CacheLayout.builder()
 *         .setGrid(7, 7)                      // H', W': L = 49
 *         .setChannels(512)                   // D
 *         .setEncoder("resnet18@224 sha256:…")
 *         .optStorage(StorageType.FLOAT16)    // default FLOAT32
 *         .build();
 * }</pre>
 *
 * A record is the grid, row by row (L·D values, location-major as in (L, D)), then the pooled vector
 * (D values): (L + 1)·D values.
 */
public final class CacheLayout {
    /** The largest record: one read-only mapping must hold at least one whole record. */
    public static final long MAX_RECORD_BYTES = 1L << 30;

    private final int gridHeight;
    private final int gridWidth;
    private final int channels;
    private final StorageType storage;
    private final String encoder;

    CacheLayout(int gridHeight, int gridWidth, int channels, StorageType storage, String encoder) {
        if (gridHeight < 1 || gridWidth < 1) {
            throw new IllegalArgumentException("the grid must be at least 1x1, got " + gridHeight + "x" + gridWidth);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        Objects.requireNonNull(storage, "storage");
        if (encoder == null || encoder.isBlank()) {
            throw new IllegalArgumentException("the encoder spec must not be blank: it names what made the features");
        }
        long values = ((long) gridHeight * gridWidth + 1) * channels;
        if (values * storage.bytes() > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + gridHeight + "x" + gridWidth + "x" + channels
                    + " " + storage + " is larger than " + MAX_RECORD_BYTES + " bytes");
        }
        this.gridHeight = gridHeight;
        this.gridWidth = gridWidth;
        this.channels = channels;
        this.storage = storage;
        this.encoder = encoder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** H', the grid's rows. */
    public int gridHeight() {
        return gridHeight;
    }

    /** W', the grid's columns. */
    public int gridWidth() {
        return gridWidth;
    }

    /** L = H'·W', the grid's locations. */
    public int locations() {
        return gridHeight * gridWidth;
    }

    /** D, the channels of a location and of the pooled vector. */
    public int channels() {
        return channels;
    }

    public StorageType storage() {
        return storage;
    }

    /** The caller's description of the encoder, e.g. {@code resnet18@224 sha256:…}; compared as text. */
    public String encoder() {
        return encoder;
    }

    /** L·D, the values of one grid. */
    public int gridValues() {
        return locations() * channels;
    }

    /** (L + 1)·D, the values of one record. */
    public int recordValues() {
        return gridValues() + channels;
    }

    /** The bytes of one record on disk. */
    public int recordBytes() {
        return recordValues() * storage.bytes();
    }

    /** How this layout differs from another, e.g. {@code dtype float16 here, float32 there}; empty if equal. */
    String differences(CacheLayout other, String here, String there) {
        List<String> out = new ArrayList<>();
        if (!encoder.equals(other.encoder)) {
            out.add("encoder \"" + encoder + "\" " + here + ", \"" + other.encoder + "\" " + there);
        }
        if (gridHeight != other.gridHeight || gridWidth != other.gridWidth) {
            out.add("grid " + gridHeight + "x" + gridWidth + " " + here + ", "
                    + other.gridHeight + "x" + other.gridWidth + " " + there);
        }
        if (channels != other.channels) {
            out.add("channels " + channels + " " + here + ", " + other.channels + " " + there);
        }
        if (storage != other.storage) {
            out.add("dtype " + storage + " " + here + ", " + other.storage + " " + there);
        }
        return String.join("; ", out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CacheLayout)) {
            return false;
        }
        CacheLayout other = (CacheLayout) o;
        return gridHeight == other.gridHeight && gridWidth == other.gridWidth && channels == other.channels
                && storage == other.storage && encoder.equals(other.encoder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gridHeight, gridWidth, channels, storage, encoder);
    }

    /** E.g. {@code 7x7x512 float16 "resnet18@224"}. */
    @Override
    public String toString() {
        return gridHeight + "x" + gridWidth + "x" + channels + " " + storage + " \"" + encoder + "\"";
    }

    /** Grid, channels and encoder are required; the storage type defaults to {@link StorageType#FLOAT32}. */
    public static final class Builder {
        private int gridHeight;
        private int gridWidth;
        private int channels;
        private StorageType storage = StorageType.FLOAT32;
        private String encoder;

        Builder() {}

        /** H' and W' of the encoder's last feature map: L = H'·W'. */
        public Builder setGrid(int height, int width) {
            this.gridHeight = height;
            this.gridWidth = width;
            return this;
        }

        /** D. */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Free text that identifies the encoder and its weights; a cache of another spec is refused. */
        public Builder setEncoder(String encoder) {
            this.encoder = encoder;
            return this;
        }

        public Builder optStorage(StorageType storage) {
            this.storage = storage;
            return this;
        }

        public CacheLayout build() {
            return new CacheLayout(gridHeight, gridWidth, channels, storage, encoder);
        }
    }
}
