package dev.captioner.pipeline.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained captioning model in one folder or one zip file, everything needed to caption images and
 * nothing else (docs/model-package.md):
 * <pre>
 *   config.json            format captioner-model/1, encoder, decoder architecture, vocabulary size, storage, provenance
 *   vocab.json             the vocabulary (captioner-vocab/1)
 *   decoder.safetensors    the decoder's weights by parameter name, float32 or float16
 *   encoder/               the encoder's files where it has any (pretrained: encoder.json, backbone.safetensors)
 * </pre>
 *
 * <p>{@link #load} checks everything before it returns, each problem as one line naming the package and
 * the file: a missing file, a format this version does not read, malformed JSON (with line and column),
 * a vocabulary of another size than the model's, a decoder or encoder of another architecture than the
 * config describes, and every weight tensor's name and shape.
 *
 * <p>A loaded package owns its decoder's parameters and its encoder; close it to free them.
 */
public final class ModelPackage implements AutoCloseable {
    /** The format this version writes and reads. */
    public static final String FORMAT = PackageConfigJson.FORMAT;
    public static final String CONFIG_FILE = "config.json";
    public static final String VOCABULARY_FILE = "vocab.json";
    public static final String DECODER_FILE = "decoder.safetensors";

    private final Path source;
    private final PackageConfig config;
    private final Vocabulary vocabulary;
    private final NDManager manager;
    private final CaptionDecoder decoder;
    private final FeatureExtractor encoder;

    private ModelPackage(Path source, PackageConfig config, Vocabulary vocabulary, NDManager manager, CaptionDecoder decoder,
            FeatureExtractor encoder) {
        this.source = source;
        this.config = config;
        this.vocabulary = vocabulary;
        this.manager = manager;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** A writer for a live decoder ({@link PackageWriter#setDecoder}) or a checkpoint. */
    public static PackageWriter writer() {
        return new PackageWriter();
    }

    /**
     * A writer for the model of a training checkpoint (its {@code best/} snapshot where there is one)
     * with the encoder its features were made with: what {@code captioner train} calls at the end.
     */
    public static PackageWriter fromCheckpoint(Path checkpoint, String encoderSpec) {
        return writer().setCheckpoint(checkpoint).setEncoder(encoderSpec);
    }

    /**
     * Loads and checks a package folder or zip, on the engine's default device (what DJL finds).
     *
     * @throws DataFormatException with one line naming the package and the problem
     * @throws IOException         where a file cannot be read at all
     */
    public static ModelPackage load(Path source) throws IOException {
        return load(source, null);
    }

    /** As {@link #load(Path)}, with the decoder's and the encoder's weights on {@code device} (null: the engine's default). */
    public static ModelPackage load(Path source, Device device) throws IOException {
        try (PackageFiles files = PackageFiles.open(source)) {
            Path configFile = files.require(CONFIG_FILE);
            files.require(VOCABULARY_FILE);
            files.require(DECODER_FILE);
            PackageConfig config = PackageConfigJson.read(configFile, files.display(CONFIG_FILE));
            DecoderConfig architecture = config.decoder();
            if (architecture.featureSize() != config.encoder().featureSize()) {
                throw new DataFormatException(files.display(CONFIG_FILE), "architecture mismatch: the decoder reads features of size "
                        + architecture.featureSize() + " but the encoder gives " + config.encoder().describeGrid());
            }
            Vocabulary vocabulary = vocabulary(files, config);
            byte[] weights = Files.readAllBytes(files.file(DECODER_FILE));
            NDManager manager = NDManager.newBaseManager(device);
            FeatureExtractor encoder = null;
            try {
                CaptionDecoder decoder = new CaptionDecoder(architecture);
                decoder.initialize(manager, DataType.FLOAT32, new Shape(1, config.encoder().locations(), architecture.featureSize()),
                        new Shape(1, architecture.featureSize()), new Shape(1, 1));
                DecoderWeights.read(weights, files.display(DECODER_FILE), decoder);
                decoder.freezeParameters(true);
                encoder = encoder(files, config.encoder(), device);
                return new ModelPackage(source, config, vocabulary, manager, decoder, encoder);
            } catch (IOException | RuntimeException e) {
                if (encoder != null) {
                    encoder.close();
                }
                manager.close();
                throw e;
            }
        }
    }

    private static Vocabulary vocabulary(PackageFiles files, PackageConfig config) throws IOException {
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.load(files.file(VOCABULARY_FILE));
        } catch (DataFormatException e) {
            throw files.renamed(e);
        }
        if (config.vocabularySize() != config.decoder().vocabularySize()) {
            throw new DataFormatException(files.display(CONFIG_FILE), "\"vocabulary_size\" " + config.vocabularySize()
                    + " differs from the decoder's vocabularySize " + config.decoder().vocabularySize());
        }
        if (vocabulary.size() != config.vocabularySize()) {
            throw new DataFormatException(files.display(VOCABULARY_FILE), vocabulary.size() + " words, but the model was trained with "
                    + config.vocabularySize() + " (config.json): a vocabulary from another model");
        }
        return vocabulary;
    }

    /** Loads the encoder the package names and checks it gives what the package was made with. */
    private static FeatureExtractor encoder(PackageFiles files, EncoderInfo expected, Device device) throws IOException {
        EncoderSpec spec = EncoderBundle.resolve(expected.spec(), files);
        FeatureExtractor extractor;
        try {
            extractor = EncoderBundle.load(spec, files, device);
        } catch (IOException | IllegalArgumentException e) {
            throw new DataFormatException(files.source(), "the encoder " + expected.spec() + " does not load: " + e.getMessage());
        }
        try {
            EncoderInfo actual = EncoderBundle.describe(expected.spec(), extractor);
            if (actual.inputSize() != expected.inputSize() || actual.resizeSize() != expected.resizeSize()
                    || actual.featureSize() != expected.featureSize() || actual.gridRows() != expected.gridRows()
                    || actual.gridCols() != expected.gridCols()) {
                throw new DataFormatException(files.display(CONFIG_FILE), "architecture mismatch: the encoder " + expected.spec() + " gives "
                        + actual.describeGrid() + " (resize " + actual.resizeSize() + "), config.json says " + expected.describeGrid()
                        + " (resize " + expected.resizeSize() + ")");
            }
            if (!actual.identity().equals(expected.identity())) {
                throw new DataFormatException(files.display(CONFIG_FILE), "the encoder's weights are not those the model was trained on: "
                        + actual.identity() + ", expected " + expected.identity());
            }
            return extractor;
        } catch (IOException | RuntimeException e) {
            extractor.close();
            throw e;
        }
    }

    /** The folder or zip the package was loaded from. */
    public Path source() {
        return source;
    }

    public PackageConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The decoder with the package's weights, frozen, float32. */
    public CaptionDecoder decoder() {
        return decoder;
    }

    /** The encoder with its preprocessing. */
    public FeatureExtractor encoder() {
        return encoder;
    }

    @Override
    public void close() {
        encoder.close();
        manager.close();
    }
}
