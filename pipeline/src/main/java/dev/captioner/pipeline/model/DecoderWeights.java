package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.captioner.data.DataFormatException;
import dev.captioner.decoder.CaptionDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoder's weights as safetensors, one tensor per parameter under its {@link ParameterNames dotted
 * name} (e.g. {@code fc.weight}), in float32 or float16.
 *
 * <p>DJL's {@code loadParameters} reads whatever arrays a file holds without checking their shapes, so a
 * package never goes through it: every tensor is checked by name and shape against a decoder freshly
 * built from {@code config.json} before any is copied, and a mismatch is one line naming the tensor and
 * both shapes. The same file opens in Python with {@code safetensors.torch.load_file}.
 */
final class DecoderWeights {
    private DecoderWeights() {}

    /** Writes every parameter of an initialised decoder in the storage's element type. */
    static void write(CaptionDecoder decoder, StorageType storage, OutputStream out) throws IOException {
        NDManager parent = firstArray(decoder).getManager();
        try (NDManager scope = parent.newSubManager()) {
            NDList tensors = new NDList();
            for (Map.Entry<String, Parameter> p : ParameterNames.of(decoder).entrySet()) {
                NDArray array = p.getValue().getArray();
                NDArray stored = array.getDataType() == storage.dataType() ? array.duplicate() : array.toType(storage.dataType(), true);
                stored.attach(scope);
                stored.setName(p.getKey());
                tensors.add(stored);
            }
            tensors.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    /**
     * Copies a safetensors file into an initialised decoder after checking it whole: the same names, the
     * same shapes, floating-point values (converted to float32).
     *
     * @param shown how messages name the file
     */
    static void read(byte[] data, Path shown, CaptionDecoder decoder) throws DataFormatException {
        Map<String, Parameter> expected = ParameterNames.of(decoder);
        try (NDManager scope = firstArray(decoder).getManager().newSubManager()) {
            NDList tensors;
            try {
                tensors = NDList.decode(scope, data);
            } catch (RuntimeException e) {
                throw new DataFormatException(shown, "not a readable safetensors file (" + e.getMessage() + ")");
            }
            Map<String, NDArray> byName = new HashMap<>();
            List<String> unexpected = new ArrayList<>();
            for (NDArray tensor : tensors) {
                if (tensor.getName() == null) {
                    throw new DataFormatException(shown, "a tensor has no name; expected the decoder's parameters by name");
                }
                if (expected.containsKey(tensor.getName())) {
                    byName.put(tensor.getName(), tensor);
                } else {
                    unexpected.add(tensor.getName());
                }
            }
            List<String> missing = new ArrayList<>();
            List<String> mismatched = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                NDArray tensor = byName.get(e.getKey());
                Shape want = e.getValue().getArray().getShape();
                if (tensor == null) {
                    missing.add(e.getKey());
                } else if (!tensor.getShape().equals(want)) {
                    mismatched.add(e.getKey() + ": file " + tensor.getShape() + ", config " + want);
                } else if (!tensor.getDataType().isFloating()) {
                    throw new DataFormatException(shown, e.getKey() + " is " + tensor.getDataType() + ", expected float32 or float16");
                }
            }
            String kind = decoder.config().kind();
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new DataFormatException(shown, "architecture mismatch: the weights do not fit the config's " + kind + " decoder ("
                        + summary("missing", missing) + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                        + summary("unexpected", unexpected) + ")");
            }
            if (!mismatched.isEmpty()) {
                throw new DataFormatException(shown, "shape mismatch for " + summary("", mismatched).strip());
            }
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                NDArray tensor = byName.get(e.getKey());
                NDArray values = tensor.getDataType() == DataType.FLOAT32 ? tensor : tensor.toType(DataType.FLOAT32, false);
                // Tensor to tensor: set(Buffer) makes libtorch print its AutoNonVariableTypeMode warning (DJL's torchSet).
                e.getValue().getArray().set(new NDIndex("..."), values);
            }
        }
    }

    /** The shapes of an initialised decoder's parameters, by name. */
    static Map<String, Shape> shapes(CaptionDecoder decoder) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        ParameterNames.of(decoder).forEach((name, p) -> shapes.put(name, p.getArray().getShape()));
        return shapes;
    }

    /**
     * Checks parameters loaded by DJL's {@code loadParameters} (which replaces arrays without checking
     * them) against the shapes the decoder had before.
     */
    static void checkShapes(CaptionDecoder decoder, Map<String, Shape> expected, Path shown) throws DataFormatException {
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(decoder).entrySet()) {
            Shape actual = p.getValue().getArray().getShape();
            if (!actual.equals(expected.get(p.getKey()))) {
                mismatched.add(p.getKey() + ": file " + actual + ", config " + expected.get(p.getKey()));
            }
        }
        if (!mismatched.isEmpty()) {
            throw new DataFormatException(shown, "shape mismatch for " + summary("", mismatched).strip());
        }
    }

    /** "missing a, b (and 3 more)", or "" for none. */
    private static String summary(String what, List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", items.subList(0, Math.min(2, items.size())));
        String more = items.size() > 2 ? " (and " + (items.size() - 2) + " more)" : "";
        return what + " " + shown + more;
    }

    private static NDArray firstArray(CaptionDecoder decoder) {
        if (!decoder.isInitialized()) {
            throw new IllegalStateException("initialise the decoder before reading or writing its weights");
        }
        return ParameterNames.of(decoder).values().iterator().next().getArray();
    }
}
