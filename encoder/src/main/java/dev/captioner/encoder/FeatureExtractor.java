package dev.captioner.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.captioner.encoder.backbone.BackboneEncoder;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.encoder.image.PreprocessedBatch;
import dev.captioner.encoder.pretrain.PretrainedEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Image files to features: the preprocessing an encoder expects, then the encoder, as an
 * {@link EncoderSpec} names them. {@link #identity()} names the encoder and its weights (by content
 * hash), so a feature cache made with other weights is never mixed with this one.
 */
public final class FeatureExtractor implements AutoCloseable {
    /** The seed of a backbone's random weights where no weights are given. */
    public static final int RANDOM_INIT_SEED = 0;

    private final ImageEncoder encoder;
    private final ImagePreprocessor preprocessor;
    private final String identity;

    FeatureExtractor(ImageEncoder encoder, ImagePreprocessor preprocessor, String identity) {
        this.encoder = encoder;
        this.preprocessor = preprocessor;
        this.identity = identity;
    }

    /** Loads the encoder a spec names, with its preprocessing, on the engine's default device (what DJL finds). */
    public static FeatureExtractor load(EncoderSpec spec) throws IOException {
        return load(spec, null);
    }

    /**
     * Loads the encoder a spec names, with its preprocessing, on {@code device} (null: the engine's
     * default). Images are encoded where the encoder's weights are, so a GPU is used once it is named here.
     */
    public static FeatureExtractor load(EncoderSpec spec, Device device) throws IOException {
        int size = spec.inputSizeOr(EncoderSpec.DEFAULT_INPUT_SIZE);
        ImagePreprocessor imagenet = ImagePreprocessor.builder().optInputSize(size).build();
        switch (spec.kind()) {
            case BACKBONE:
                // Random weights from a fixed seed, so a resumed extraction uses the same network.
                ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(RANDOM_INIT_SEED);
                return new FeatureExtractor(BackboneEncoder.builder().setBackbone(spec.arch()).optInputSize(size).optDevice(device).build(),
                        imagenet, spec.arch() + "@" + size + " random-init seed " + RANDOM_INIT_SEED);
            case SAFETENSORS:
                return new FeatureExtractor(BackboneEncoder.builder().setBackbone(spec.arch()).optInputSize(size)
                        .optWeights(spec.path()).optDevice(device).build(), imagenet, spec.arch() + "@" + size + " sha256:" + sha256(spec.path()));
            case TORCHSCRIPT:
                return new FeatureExtractor(TorchScriptEncoder.load(spec.path(), size, device), imagenet,
                        "torchscript@" + size + " sha256:" + sha256(spec.path()));
            case ZOO:
                return new FeatureExtractor(ModelZooEncoder.load(spec.artifact(), size, device), imagenet, spec.toString());
            default:
                PretrainedEncoder.Description description = PretrainedEncoder.describe(spec.path());
                if (spec.inputSize() > 0 && spec.inputSize() != description.inputSize()) {
                    throw new IllegalArgumentException("encoder '" + spec + "' was pretrained at "
                            + description.inputSize() + " pixels; leave out @" + spec.inputSize());
                }
                ImagePreprocessor own = ImagePreprocessor.builder().optInputSize(description.inputSize())
                        .optResizeSize(description.resizeSize()).build();
                return new FeatureExtractor(PretrainedEncoder.load(spec.path(), device), own, description.arch() + "@"
                        + description.inputSize() + " pretrained sha256:" + sha256(spec.path().resolve(PretrainedEncoder.WEIGHTS_FILE)));
        }
    }

    /** Features of a batch of files: images that cannot be read are left out and reported in the result. */
    public Extraction extract(List<Path> files, NDManager manager) {
        PreprocessedBatch batch = preprocessor.batchSkippingFailures(files, manager);
        EncodedImages features = batch.accepted().isEmpty() ? null : encoder.encode(batch.images());
        return new Extraction(batch, features);
    }

    /** The preprocessed batch (which files were accepted, which failed) and, if any were, their features. */
    public record Extraction(PreprocessedBatch batch, EncodedImages features) {}

    public ImageEncoder encoder() {
        return encoder;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** The encoder and a hash of its weights, e.g. {@code resnet18@128 pretrained sha256:3f2a...}. */
    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        encoder.close();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
