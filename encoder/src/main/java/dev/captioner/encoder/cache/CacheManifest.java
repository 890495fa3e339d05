package dev.captioner.encoder.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code cache.json}: the layout of a feature cache and its number of committed records, the one
 * value that says which records exist. Written atomically (temporary file, then rename), read strictly:
 *
 * <pre>{@code
 * {
 *   "format" : "captioner-feature-cache",
 *   "version" : 1,
 *   "encoder" : "resnet18@224 sha256:…",
 *   "grid_height" : 7,
 *   "grid_width" : 7,
 *   "locations" : 49,
 *   "channels" : 512,
 *   "dtype" : "float16",
 *   "byte_order" : "little-endian",
 *   "record_bytes" : 51200,
 *   "records" : 1234
 * }
 * }</pre>
 *
 * Unknown fields are skipped; every field above is required, and the derived ones ({@code locations},
 * {@code record_bytes}) must agree with the others.
 */
record CacheManifest(CacheLayout layout, int records) {
    static final String FILE = "cache.json";
    static final String FORMAT = "captioner-feature-cache";
    static final int VERSION = 1;
    static final String BYTE_ORDER = "little-endian";

    void write(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.useDefaultPrettyPrinter();
                json.writeStartObject();
                json.writeStringField("format", FORMAT);
                json.writeNumberField("version", VERSION);
                json.writeStringField("encoder", layout.encoder());
                json.writeNumberField("grid_height", layout.gridHeight());
                json.writeNumberField("grid_width", layout.gridWidth());
                json.writeNumberField("locations", layout.locations());
                json.writeNumberField("channels", layout.channels());
                json.writeStringField("dtype", layout.storage().jsonName());
                json.writeStringField("byte_order", BYTE_ORDER);
                json.writeNumberField("record_bytes", layout.recordBytes());
                json.writeNumberField("records", records);
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    static CacheManifest read(Path file) throws IOException {
        String format = null;
        Long version = null;
        String encoder = null;
        Long gridHeight = null;
        Long gridWidth = null;
        Long locations = null;
        Long channels = null;
        String dtype = null;
        String byteOrder = null;
        Long recordBytes = null;
        Long records = null;
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("a feature cache's cache.json");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "format": format = in.readString(field); break;
                    case "version": version = in.readLong(field); break;
                    case "encoder": encoder = in.readString(field); break;
                    case "grid_height": gridHeight = in.readLong(field); break;
                    case "grid_width": gridWidth = in.readLong(field); break;
                    case "locations": locations = in.readLong(field); break;
                    case "channels": channels = in.readLong(field); break;
                    case "dtype": dtype = in.readString(field); break;
                    case "byte_order": byteOrder = in.readString(field); break;
                    case "record_bytes": recordBytes = in.readLong(field); break;
                    case "records": records = in.readLong(field); break;
                    default: in.skipValue();
                }
            }
            in.expectEnd();
        }
        if (!FORMAT.equals(format)) {
            throw new DataFormatException(file, "not a feature cache: expected \"format\": \"" + FORMAT + "\", found "
                    + (format == null ? "no \"format\"" : "\"" + format + "\""));
        }
        if (version == null) {
            throw new DataFormatException(file, "missing field \"version\"");
        }
        if (version != VERSION) {
            throw new DataFormatException(file, "feature cache version " + version
                    + " is not supported: this build reads version " + VERSION);
        }
        require(file, "encoder", encoder);
        require(file, "grid_height", gridHeight);
        require(file, "grid_width", gridWidth);
        require(file, "locations", locations);
        require(file, "channels", channels);
        require(file, "dtype", dtype);
        require(file, "byte_order", byteOrder);
        require(file, "record_bytes", recordBytes);
        require(file, "records", records);
        StorageType storage = StorageType.fromJsonName(dtype);
        if (storage == null) {
            throw new DataFormatException(file, "unknown \"dtype\" \"" + dtype + "\": expected float32 or float16");
        }
        if (!BYTE_ORDER.equals(byteOrder)) {
            throw new DataFormatException(file, "unsupported \"byte_order\" \"" + byteOrder + "\": expected " + BYTE_ORDER);
        }
        CacheLayout layout;
        try {
            layout = new CacheLayout(positiveInt(file, "grid_height", gridHeight), positiveInt(file, "grid_width", gridWidth),
                    positiveInt(file, "channels", channels), storage, encoder);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, e.getMessage());
        }
        if (locations != layout.locations()) {
            throw new DataFormatException(file, "\"locations\" is " + locations + ", but grid_height x grid_width is "
                    + layout.locations());
        }
        if (recordBytes != layout.recordBytes()) {
            throw new DataFormatException(file, "\"record_bytes\" is " + recordBytes + ", but (locations + 1) x channels x "
                    + storage.bytes() + " bytes is " + layout.recordBytes());
        }
        if (records < 0 || records > Integer.MAX_VALUE) {
            throw new DataFormatException(file, "\"records\" is out of range: " + records);
        }
        return new CacheManifest(layout, (int) (long) records);
    }

    private static void require(Path file, String field, Object value) throws DataFormatException {
        if (value == null) {
            throw new DataFormatException(file, "missing field \"" + field + "\"");
        }
    }

    private static int positiveInt(Path file, String field, long value) throws DataFormatException {
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new DataFormatException(file, "\"" + field + "\" must be a positive whole number, found " + value);
        }
        return (int) value;
    }
}
