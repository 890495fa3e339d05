package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.pretrain.PretrainedEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The encoder inside a package. An encoder made of files travels with the package, under
 * {@value #DIR}/, and the spec in config.json names it relative to the package root:
 * <ul>
 *   <li>{@code pretrained:DIR} (trained by the project) becomes {@code pretrained:encoder}, holding
 *       {@code encoder.json} and {@code backbone.safetensors};</li>
 *   <li>{@code ARCH:FILE.safetensors} (or .npz) becomes {@code ARCH:encoder/backbone.safetensors};</li>
 *   <li>{@code torchscript:FILE.pt} becomes {@code torchscript:encoder/model.pt} (copied as it is; float16
 *       storage does not apply to it).</li>
 * </ul>
 * A random-weight backbone ({@code resnet18}: its weights come from a fixed seed) and a model-zoo artifact
 * have no files and keep their spec.
 */
final class EncoderBundle {
    static final String DIR = "encoder";
    private static final String BACKBONE_FILE = "backbone.safetensors";
    private static final String TORCHSCRIPT_FILE = "model.pt";

    private EncoderBundle() {}

    /** Copies the encoder's files into {@code root}/encoder and returns the spec that names the copy. */
    static String pack(EncoderSpec spec, Path root, StorageType storage) throws IOException {
        String size = spec.inputSize() > 0 ? "@" + spec.inputSize() : "";
        Path dir = root.resolve(DIR);
        switch (spec.kind()) {
            case PRETRAINED:
                PretrainedEncoder.describe(spec.path()); // a one-line error for a folder that is not an encoder
                Files.createDirectories(dir);
                Files.copy(spec.path().resolve(PretrainedEncoder.CONFIG_FILE), dir.resolve(PretrainedEncoder.CONFIG_FILE));
                copyWeights(spec.path().resolve(PretrainedEncoder.WEIGHTS_FILE), dir.resolve(PretrainedEncoder.WEIGHTS_FILE), storage, false);
                return "pretrained:" + DIR + size;
            case SAFETENSORS:
                Files.createDirectories(dir);
                copyWeights(spec.path(), dir.resolve(BACKBONE_FILE), storage, true);
                return spec.arch() + ":" + DIR + "/" + BACKBONE_FILE + size;
            case TORCHSCRIPT:
                Files.createDirectories(dir);
                Files.copy(spec.path(), dir.resolve(TORCHSCRIPT_FILE));
                return "torchscript:" + DIR + "/" + TORCHSCRIPT_FILE + size;
            default:
                return spec.toString();
        }
    }

    /** The packaged spec with its path made a path inside the package. */
    static EncoderSpec resolve(String packaged, PackageFiles files) throws DataFormatException {
        Path shown = files.display(ModelPackage.CONFIG_FILE);
        EncoderSpec spec;
        try {
            spec = EncoderSpec.parse(packaged);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(shown, "\"encoder.spec\": " + e.getMessage());
        }
        if (spec.path() == null) {
            return spec;
        }
        String relative = spec.path().toString().replace('\\', '/');
        if (spec.path().isAbsolute() || relative.equals("..") || relative.startsWith("../") || relative.contains("/../")) {
            throw new DataFormatException(shown, "\"encoder.spec\" " + packaged + " must name a file inside the package");
        }
        return new EncoderSpec(spec.kind(), spec.arch(), files.file(relative), spec.artifact(), spec.inputSize());
    }

    /**
     * Loads a resolved spec. libtorch reads TorchScript only from a real file, so one inside a zip is
     * copied out to a temporary file for the load and deleted after it. The file gets a folder of its own:
     * DJL reads the model file's folder, and other files there (a jar in /tmp was enough) made it fail with
     * "Parameter file not found".
     */
    static FeatureExtractor load(EncoderSpec resolved, PackageFiles files, Device device) throws IOException {
        if (resolved.kind() != EncoderSpec.Kind.TORCHSCRIPT || !files.zipped()) {
            return FeatureExtractor.load(resolved, device);
        }
        Path dir = Files.createTempDirectory("captioner-");
        Path tmp = dir.resolve(TORCHSCRIPT_FILE);
        try {
            Files.copy(resolved.path(), tmp);
            return FeatureExtractor.load(new EncoderSpec(resolved.kind(), null, tmp, null, resolved.inputSize()), device);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * What the loaded encoder gives. The input is square, so the grid is too: rows = cols = √L.
     *
     * @throws IllegalArgumentException where L is not a square number
     */
    static EncoderInfo describe(String packaged, FeatureExtractor extractor) {
        int locations = extractor.encoder().locations();
        int side = (int) Math.round(Math.sqrt(locations));
        if (side * side != locations) {
            throw new IllegalArgumentException("encoder " + packaged + " gives " + locations
                    + " locations, not a square grid; attention maps need rows x cols");
        }
        return new EncoderInfo(packaged, extractor.preprocessor().inputSize(), extractor.preprocessor().resizeSize(),
                extractor.encoder().featureSize(), side, side, extractor.identity());
    }

    /**
     * Copies torchvision-named weights, converted to the storage's element type (integer tensors such
     * as {@code num_batches_tracked} kept as they are); float32 safetensors are copied byte for byte.
     */
    private static void copyWeights(Path from, Path to, StorageType storage, boolean reencode) throws IOException {
        if (storage == StorageType.FLOAT32 && !reencode) {
            Files.copy(from, to);
            return;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList tensors;
            try {
                tensors = NDList.decode(manager, Files.readAllBytes(from));
            } catch (RuntimeException e) {
                throw new IOException(from + ": not a safetensors, npz or npy file (" + e.getMessage() + ")", e);
            }
            NDList converted = new NDList(tensors.size());
            for (NDArray tensor : tensors) {
                NDArray out = tensor.getDataType().isFloating() && tensor.getDataType() != storage.dataType()
                        ? tensor.toType(storage.dataType(), false) : tensor;
                out.setName(tensor.getName());
                converted.add(out);
            }
            AtomicFile.write(to, out -> converted.encode(out, NDList.Encoding.SAFETENSORS));
        }
    }
}
