package dev.captioner.encoder.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies torchvision weights into a {@link Backbone}, tensor by tensor under the torchvision
 * {@code state_dict} names of {@link Backbone#torchvisionParameters()}.
 *
 * <p>The file is read with DJL's {@link NDList#decode(NDManager, byte[])}, which understands
 * safetensors, numpy {@code .npz} and {@code .npy}, and DJL's own format, and names each array by its
 * key. A torch {@code .pth} file is a pickle DJL cannot read; convert it once with
 *
 * <pre>
 * python -c "import torch; from safetensors.torch import save_file; save_file({k: v.contiguous() for k, v in torch.load('resnet18.pth').items()}, 'resnet18.safetensors')"
 * </pre>
 *
 * or, where the {@code safetensors} package is missing, with numpy alone (an {@code .npz} loads the
 * same way; both are tested):
 *
 * <pre>
 * python -c "import torch, numpy; numpy.savez('resnet18.npz', **{k: v.numpy() for k, v in torch.load('resnet18.pth').items()})"
 * </pre>
 *
 * <p>{@code num_batches_tracked}, {@code fc.*} and {@code classifier.*} are skipped (see
 * {@link #isIgnored}). Every other key must match a parameter and every shape must agree; all is
 * checked before anything is copied, so a failed import leaves the backbone as it was. Arrays of
 * another floating type (F16, F64) are converted to the parameter's type.
 */
public final class SafetensorsImport {

    private SafetensorsImport() {}

    /**
     * What an import did.
     *
     * @param loaded     keys copied into the backbone, in the backbone's order
     * @param missing    backbone keys the file lacks (empty unless not strict)
     * @param unexpected file keys the backbone lacks, ignored keys left out (empty unless not strict)
     * @param ignored    file keys skipped by {@link #isIgnored}
     */
    public record Result(
            List<String> loaded, List<String> missing, List<String> unexpected, List<String> ignored) {}

    /**
     * Whether a file key has no counterpart in any backbone by design: batch-norm counters and the
     * classifier heads of ResNet ({@code fc.}) and VGG ({@code classifier.}).
     */
    public static boolean isIgnored(String key) {
        return key.endsWith("num_batches_tracked")
                || key.startsWith("fc.")
                || key.startsWith("classifier.");
    }

    /**
     * Loads every parameter of an initialised backbone from a file; keys and shapes must match
     * exactly (ignored keys aside).
     *
     * @throws IOException when the file cannot be read or decoded, or with one line such as
     *     {@code resnet18.safetensors: missing key layer4.1.bn2.weight (and 3 more)} or
     *     {@code ...: shape mismatch for conv1.weight: file (64, 3, 7, 7), model (64, 1, 7, 7)}
     */
    public static Result load(Backbone backbone, Path file) throws IOException {
        return load(backbone, file, true);
    }

    /**
     * Loads from a file; with {@code strict} false, missing and unexpected keys are reported in the
     * result instead of failing (as torch's {@code load_state_dict(strict=False)}). Shapes must
     * always agree.
     */
    public static Result load(Backbone backbone, Path file, boolean strict) throws IOException {
        return load(backbone, Files.readAllBytes(file), file.toString(), strict);
    }

    /**
     * Loads from the bytes of a safetensors, npz or npy file.
     *
     * @param source names the data in error messages, e.g. its file name
     */
    public static Result load(Backbone backbone, byte[] data, String source, boolean strict)
            throws IOException {
        if (!backbone.isInitialized()) {
            throw new IllegalStateException(
                    "initialize " + backbone.name() + " before importing weights into it");
        }
        Map<String, Parameter> params = backbone.torchvisionParameters();
        NDManager parent = params.values().iterator().next().getArray().getManager();
        try (NDManager manager = parent.newSubManager()) {
            NDList arrays;
            try {
                arrays = NDList.decode(manager, data);
            } catch (RuntimeException e) {
                throw new IOException(
                        source + ": not a safetensors, npz or npy file (" + e.getMessage() + ")", e);
            }
            Map<String, NDArray> byName = new HashMap<>();
            List<String> ignored = new ArrayList<>();
            Set<String> unexpected = new LinkedHashSet<>();
            for (NDArray array : arrays) {
                String key = array.getName();
                if (key == null) {
                    throw new IOException(source + ": an array has no name; expected a keyed file");
                }
                if (isIgnored(key)) {
                    ignored.add(key);
                } else if (params.containsKey(key)) {
                    byName.put(key, array);
                } else {
                    unexpected.add(key);
                }
            }
            List<String> missing = new ArrayList<>();
            List<String> mismatches = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray array = byName.get(e.getKey());
                if (array == null) {
                    missing.add(e.getKey());
                } else if (!array.getShape().equals(e.getValue().getShape())) {
                    mismatches.add(
                            "shape mismatch for " + e.getKey() + ": file " + array.getShape()
                                    + ", model " + e.getValue().getShape());
                }
            }
            List<String> problems = new ArrayList<>();
            if (strict) {
                summarise(problems, "missing key ", missing);
                summarise(problems, "unexpected key ", new ArrayList<>(unexpected));
            }
            summarise(problems, "", mismatches);
            if (!problems.isEmpty()) {
                throw new IOException(source + ": " + String.join("; ", problems));
            }

            List<String> loaded = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray array = byName.get(e.getKey());
                if (array != null) {
                    copy(array, e.getValue().getArray(), source, e.getKey());
                    loaded.add(e.getKey());
                }
            }
            return new Result(
                    List.copyOf(loaded),
                    List.copyOf(missing),
                    List.copyOf(unexpected),
                    List.copyOf(ignored));
        }
    }

    /** "first (and n more)". */
    private static void summarise(List<String> problems, String what, List<String> items) {
        if (!items.isEmpty()) {
            String more = items.size() > 1 ? " (and " + (items.size() - 1) + " more)" : "";
            problems.add(what + items.get(0) + more);
        }
    }

    /** Writes the values into the parameter's own storage, outside autograd's view. */
    private static void copy(NDArray from, NDArray to, String source, String key) throws IOException {
        DataType type = to.getDataType();
        if (from.getDataType() != type) {
            if (!from.getDataType().isFloating()) {
                throw new IOException(
                        source + ": " + key + " is " + from.getDataType() + ", expected " + type);
            }
            from = from.toType(type, false);
        }
        // An indexed put, tensor to tensor. NDArray.set(Buffer) would do the same, but DJL's native side wraps
        // it in libtorch's deprecated AutoNonVariableTypeMode, which prints a warning on every run's stderr.
        to.set(new NDIndex("..."), from);
    }
}
