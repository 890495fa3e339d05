package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.captioner.data.DataFormatException;
import dev.captioner.decoder.DecoderConfig;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes and reads {@code config.json}. The decoder's architecture is the {@link DecoderConfig} record
 * written field by field as Jackson writes records (as {@code checkpoint.json} does), so a field added to
 * the record travels without changes here; a package that lacks a newer boolean or number field reads it
 * as false or 0, and a field this version does not know is refused.
 */
final class PackageConfigJson {
    static final String FORMAT_PREFIX = "captioner-model/";
    static final int VERSION = 1;
    static final String FORMAT = FORMAT_PREFIX + VERSION;
    private static final Pattern FORMAT_VERSION = Pattern.compile(Pattern.quote(FORMAT_PREFIX) + "(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PackageConfigJson() {}

    static byte[] write(PackageConfig config) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode encoder = root.putObject("encoder");
        EncoderInfo e = config.encoder();
        encoder.put("spec", e.spec());
        encoder.put("input_size", e.inputSize());
        encoder.put("resize_size", e.resizeSize());
        encoder.put("feature_size", e.featureSize());
        encoder.put("locations", e.locations());
        encoder.putArray("grid").add(e.gridRows()).add(e.gridCols());
        encoder.put("identity", e.identity());
        root.put("decoder_type", config.decoder().kind());
        root.set("decoder", JSON.valueToTree(config.decoder()));
        root.put("vocabulary_size", config.vocabularySize());
        root.put("storage", config.storage().jsonName());
        root.set("provenance", JSON.valueToTree(config.provenance()));
        byte[] json = JSON.writeValueAsBytes(root);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }

    /** Reads and checks {@code config.json}; {@code shown} names it in messages. */
    static PackageConfig read(Path file, Path shown) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DataFormatException(shown, at == null ? 0 : Math.max(0, at.getLineNr()),
                    at == null ? 0 : Math.max(0, at.getColumnNr()), "malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new DataFormatException(shown, "must hold a JSON object");
        }
        Fields fields = new Fields(shown);
        checkFormat(fields.text(root, "format"), shown);
        JsonNode e = fields.object(root, "encoder");
        JsonNode grid = fields.node(e, "encoder.grid");
        if (!grid.isArray() || grid.size() != 2 || !grid.get(0).isInt() || !grid.get(1).isInt()) {
            throw new DataFormatException(shown, "\"encoder.grid\" must be [rows, cols]");
        }
        EncoderInfo encoder = new EncoderInfo(fields.text(e, "encoder.spec"), fields.positive(e, "encoder.input_size"),
                fields.positive(e, "encoder.resize_size"), fields.positive(e, "encoder.feature_size"), grid.get(0).asInt(),
                grid.get(1).asInt(), fields.text(e, "encoder.identity"));
        if (encoder.gridRows() < 1 || encoder.gridCols() < 1 || fields.positive(e, "encoder.locations") != encoder.locations()) {
            throw new DataFormatException(shown, "\"encoder.locations\" must be rows x cols of \"encoder.grid\" " + grid);
        }
        DecoderConfig decoder = decoder(fields.object(root, "decoder"), shown);
        String type = fields.text(root, "decoder_type");
        if (!type.equals(decoder.kind())) {
            throw new DataFormatException(shown, "architecture mismatch: \"decoder_type\" is " + type
                    + " but the decoder's fields describe " + decoder.kind());
        }
        StorageType storage;
        try {
            storage = StorageType.parse(fields.text(root, "storage"));
        } catch (IllegalArgumentException ex) {
            throw new DataFormatException(shown, "\"storage\": " + ex.getMessage());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        if (root.has("provenance")) {
            JsonNode node = fields.object(root, "provenance");
            node.fields().forEachRemaining(f -> provenance.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
        }
        return new PackageConfig(encoder, decoder, fields.positive(root, "vocabulary_size"), storage, provenance);
    }

    private static void checkFormat(String format, Path shown) throws DataFormatException {
        if (FORMAT.equals(format)) {
            return;
        }
        Matcher m = FORMAT_VERSION.matcher(format);
        if (m.matches() && m.group(1).length() < 6 && Integer.parseInt(m.group(1)) > VERSION) {
            throw new DataFormatException(shown, "format " + format + " was written by a newer captioner; this version reads "
                    + FORMAT);
        }
        throw new DataFormatException(shown, "unknown format \"" + format + "\" (this version reads " + FORMAT + ")");
    }

    /** The decoder record from its JSON object, every reference-typed component present. */
    private static DecoderConfig decoder(JsonNode node, Path shown) throws DataFormatException {
        DecoderConfig config;
        try {
            config = JSON.treeToValue(node, DecoderConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new DataFormatException(shown, "architecture mismatch: the decoder field \"" + e.getPropertyName()
                    + "\" is unknown to this version");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new DataFormatException(shown, "\"decoder\": " + firstLine(message));
        }
        for (RecordComponent component : DecoderConfig.class.getRecordComponents()) {
            if (component.getType().isPrimitive()) {
                continue;
            }
            try {
                if (component.getAccessor().invoke(config) == null) {
                    throw new DataFormatException(shown, "missing \"decoder." + component.getName() + "\"");
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("DecoderConfig." + component.getName() + "() cannot be read", e);
            }
        }
        return config;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip().lines().findFirst().orElse("");
        int cut = line.indexOf(" (for ");
        return (cut > 0 ? line.substring(0, cut) : line).replaceAll("\\s+", " ");
    }

    /** Required fields with one-line messages naming the field by its dotted path. */
    private static final class Fields {
        private final Path shown;

        Fields(Path shown) {
            this.shown = shown;
        }

        JsonNode node(JsonNode parent, String path) throws DataFormatException {
            JsonNode node = parent.get(path.substring(path.lastIndexOf('.') + 1));
            if (node == null || node.isNull()) {
                throw new DataFormatException(shown, "missing \"" + path + "\"");
            }
            return node;
        }

        JsonNode object(JsonNode parent, String path) throws DataFormatException {
            JsonNode node = node(parent, path);
            if (!node.isObject()) {
                throw new DataFormatException(shown, "\"" + path + "\" must be an object");
            }
            return node;
        }

        String text(JsonNode parent, String path) throws DataFormatException {
            JsonNode node = node(parent, path);
            if (!node.isTextual()) {
                throw new DataFormatException(shown, "\"" + path + "\" must be a string");
            }
            return node.asText();
        }

        int positive(JsonNode parent, String path) throws DataFormatException {
            JsonNode node = node(parent, path);
            if (!node.isInt() || node.asInt() < 1) {
                throw new DataFormatException(shown, "\"" + path + "\" must be a whole number of at least 1");
            }
            return node.asInt();
        }
    }
}
