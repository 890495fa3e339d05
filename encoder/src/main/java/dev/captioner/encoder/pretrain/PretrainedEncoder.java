package dev.captioner.encoder.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import dev.captioner.encoder.backbone.Backbone;
import dev.captioner.encoder.backbone.BackboneEncoder;
import dev.captioner.encoder.backbone.Backbones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An encoder saved by {@code captioner pretrain-encoder}: a folder with {@code encoder.json} (format,
 * architecture, input and resize sizes, how it was trained and what it reached) and
 * {@code backbone.safetensors}, the backbone's weights under torchvision's names, so torchvision can
 * load them too.
 */
public final class PretrainedEncoder {
    public static final String FORMAT = "captioner-encoder/1";
    public static final String CONFIG_FILE = "encoder.json";
    public static final String WEIGHTS_FILE = "backbone.safetensors";

    private PretrainedEncoder() {}

    /** What {@code encoder.json} holds. {@code facts} are figures for people (accuracy, data, seed). */
    public record Description(String arch, int inputSize, int resizeSize, Map<String, String> facts) {}

    /** Saves the backbone's weights and description into {@code dir}, each file atomically. */
    public static void save(Path dir, Backbone backbone, Description description) throws IOException {
        Files.createDirectories(dir);
        NDList weights = new NDList();
        for (Map.Entry<String, ai.djl.nn.Parameter> p : backbone.torchvisionParameters().entrySet()) {
            NDArray array = p.getValue().getArray();
            array.setName(p.getKey());
            weights.add(array);
        }
        AtomicFile.write(dir.resolve(WEIGHTS_FILE), out -> weights.encode(out, NDList.Encoding.SAFETENSORS));
        AtomicFile.write(dir.resolve(CONFIG_FILE), out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.useDefaultPrettyPrinter();
                json.writeStartObject();
                json.writeStringField("format", FORMAT);
                json.writeStringField("arch", description.arch());
                json.writeNumberField("input_size", description.inputSize());
                json.writeNumberField("resize_size", description.resizeSize());
                json.writeObjectFieldStart("facts");
                for (Map.Entry<String, String> fact : description.facts().entrySet()) {
                    json.writeStringField(fact.getKey(), fact.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    /** Reads and checks {@code encoder.json}. */
    public static Description describe(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(dir, "not a pretrained encoder folder (no " + CONFIG_FILE + ")");
        }
        String format = null;
        String arch = null;
        int inputSize = 0;
        int resizeSize = 0;
        Map<String, String> facts = new LinkedHashMap<>();
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("an encoder description");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "format": format = in.readString("format"); break;
                    case "arch": arch = in.readString("arch"); break;
                    case "input_size": inputSize = in.readInt("input_size"); break;
                    case "resize_size": resizeSize = in.readInt("resize_size"); break;
                    case "facts":
                        in.startObject("\"facts\"");
                        String key;
                        while ((key = in.nextField()) != null) {
                            facts.put(key, in.readString(key));
                        }
                        break;
                    default: in.skipValue();
                }
            }
            in.expectEnd();
        }
        if (!FORMAT.equals(format)) {
            throw new DataFormatException(file, "not an encoder of format " + FORMAT + " (found "
                    + (format == null ? "no \"format\"" : "\"" + format + "\"") + "); it was saved by another version");
        }
        if (arch == null || !Backbones.names().contains(arch)) {
            throw new DataFormatException(file, "unknown architecture " + arch + " (known: " + Backbones.names() + ")");
        }
        if (inputSize < 32 || resizeSize < inputSize) {
            throw new DataFormatException(file, "input_size " + inputSize + " and resize_size " + resizeSize + " do not fit");
        }
        return new Description(arch, inputSize, resizeSize, facts);
    }

    /** Loads the encoder, frozen, with its weights checked name by name and shape by shape, on the default device. */
    public static BackboneEncoder load(Path dir) throws IOException {
        return load(dir, null);
    }

    /** As {@link #load(Path)}, on {@code device} (null: the engine's default). */
    public static BackboneEncoder load(Path dir, Device device) throws IOException {
        Description description = describe(dir);
        return BackboneEncoder.builder().setBackbone(description.arch()).optInputSize(description.inputSize())
                .optWeights(dir.resolve(WEIGHTS_FILE)).optDevice(device).build();
    }

    /** Runs the backbone in inference mode on a batch; used by tests to compare a saved and a live backbone. */
    static NDArray featureMap(Backbone backbone, NDArray images) {
        return backbone.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).head();
    }
}
