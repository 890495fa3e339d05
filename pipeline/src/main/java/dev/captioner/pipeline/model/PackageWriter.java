package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.FileTrees;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a model package: a folder, or a zip where the target's name ends in {@code .zip}.
 *
 * <pre>
 * ModelPackage.fromCheckpoint(Path.of("runs/att-lstm"), "pretrained:models/encoder-r18-128")
 *         .optStorage(StorageType.FLOAT16)
 *         .optProvenance("command", "captioner train ...")
 *         .write(Path.of("models/att-lstm.zip"));
 * </pre>
 *
 * <p>Everything is written into a temporary folder beside the target first; a folder package then takes
 * the target's place by renames, a zip is written under a temporary name and renamed. A crash leaves the
 * old package or the new one, never a mix. An existing target is replaced only where it is a model
 * package (a folder holding config.json, or a file): any other folder is refused, never deleted.
 */
public final class PackageWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String encoder;
    private CaptionDecoder decoder;
    private Vocabulary vocabulary;
    private Path checkpoint;
    private StorageType storage = StorageType.FLOAT32;
    private String featureIdentity;
    private final Map<String, Object> provenance = new LinkedHashMap<>();

    PackageWriter() {}

    /** The encoder spec the features were made with (required), as {@link EncoderSpec#parse} reads it. */
    public PackageWriter setEncoder(String spec) {
        this.encoder = Objects.requireNonNull(spec, "encoder spec");
        return this;
    }

    /** An initialised decoder and its vocabulary; or use {@link #setCheckpoint}. */
    public PackageWriter setDecoder(CaptionDecoder decoder, Vocabulary vocabulary) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.checkpoint = null;
        return this;
    }

    /**
     * A training checkpoint to package instead of a live decoder: its folder (the snapshot in
     * {@code best/} is taken where there is one, else {@code last/}) or one snapshot folder. Its training
     * configuration and position go into the provenance.
     */
    public PackageWriter setCheckpoint(Path checkpoint) {
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
        this.decoder = null;
        this.vocabulary = null;
        return this;
    }

    /** Float32 (default) or float16 weights. */
    public PackageWriter optStorage(StorageType storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        return this;
    }

    /**
     * The identity of the encoder the training features were made with, as the feature cache records it
     * ({@code CacheLayout.encoder()}): the package is refused unless the encoder spec names that encoder
     * with those weights. (A float16 package's own identity hashes the converted weights, so this check
     * must happen here, before the conversion.)
     */
    public PackageWriter optFeatureIdentity(String identity) {
        this.featureIdentity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /** A provenance entry: a string, number, boolean, list or map, e.g. the command or a score. */
    public PackageWriter optProvenance(String key, Object value) {
        provenance.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /**
     * Writes the package and returns {@code out}.
     *
     * @throws IOException where the encoder or the checkpoint cannot be read, the decoder does not fit the
     *                     encoder or the vocabulary, or {@code out} is a folder that is not a model package
     */
    public Path write(Path out) throws IOException {
        if (encoder == null || (decoder == null && checkpoint == null)) {
            throw new IllegalStateException("PackageWriter: setEncoder and setDecoder or setCheckpoint are required");
        }
        EncoderSpec spec = EncoderSpec.parse(encoder);
        if (featureIdentity != null) {
            checkFeatureIdentity(spec);
        }
        Path target = out.toAbsolutePath().normalize();
        boolean zip = target.getFileName().toString().endsWith(".zip");
        checkReplaceable(target, zip);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
        try {
            if (checkpoint != null) {
                writeFromCheckpoint(spec, tmp);
            } else {
                writeContent(spec, decoder, vocabulary, provenance, tmp);
            }
            if (zip) {
                AtomicFile.write(target, stream -> ZipTree.write(tmp, stream));
            } else {
                FileTrees.replace(target, tmp);
            }
        } finally {
            FileTrees.delete(tmp);
        }
        return out;
    }

    private void writeFromCheckpoint(EncoderSpec spec, Path tmp) throws IOException {
        Path snapshot = Checkpoint.bestSnapshot(checkpoint);
        Checkpoint.Saved saved = Checkpoint.readSnapshot(snapshot);
        Map<String, Object> facts = new LinkedHashMap<>();
        // Relative to the run (RUN/checkpoints/best gives "checkpoints/best"): an absolute path would name a
        // folder of the machine the model was trained on, which means nothing to whoever receives the package.
        facts.put("checkpoint", runRelative(checkpoint, snapshot));
        if (saved.progress() != null) {
            facts.put("step", saved.progress().step());
            facts.put("epoch", saved.progress().epoch());
            if (Double.isFinite(saved.progress().bestScore())) {
                facts.put("best_validation_cider", saved.progress().bestScore());
            }
        }
        facts.put("training", JSON.valueToTree(saved.config()));
        facts.putAll(provenance);
        try (NDManager manager = NDManager.newBaseManager()) {
            writeContent(spec, SnapshotDecoder.load(snapshot, manager), saved.vocabulary(), facts, tmp);
        }
    }

    /** The snapshot's path from the folder that holds the checkpoint folder, with {@code /} separators. */
    static String runRelative(Path checkpoint, Path snapshot) {
        Path folder = checkpoint.toAbsolutePath().normalize();
        Path relative = folder.relativize(snapshot.toAbsolutePath().normalize());
        Path name = folder.getFileName();
        Path path = name == null ? relative : name.resolve(relative);
        return path.normalize().toString().replace('\\', '/');
    }

    private void writeContent(EncoderSpec spec, CaptionDecoder decoder, Vocabulary vocabulary, Map<String, Object> facts, Path dir)
            throws IOException {
        DecoderConfig config = decoder.config();
        if (config.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("the decoder is built for " + config.vocabularySize()
                    + " words but the vocabulary has " + vocabulary.size());
        }
        String packaged = EncoderBundle.pack(spec, dir, storage);
        EncoderInfo info;
        try (PackageFiles files = PackageFiles.open(dir);
                FeatureExtractor extractor = EncoderBundle.load(EncoderBundle.resolve(packaged, files), files, null)) {
            info = EncoderBundle.describe(packaged, extractor);
        }
        if (info.featureSize() != config.featureSize()) {
            throw new IllegalArgumentException("the decoder reads features of size " + config.featureSize() + " but encoder "
                    + spec + " gives " + info.describeGrid() + "; package the encoder the features were made with");
        }
        vocabulary.save(dir.resolve(ModelPackage.VOCABULARY_FILE));
        AtomicFile.write(dir.resolve(ModelPackage.DECODER_FILE), stream -> DecoderWeights.write(decoder, storage, stream));
        PackageConfig packageConfig = new PackageConfig(info, config, vocabulary.size(), storage, facts);
        AtomicFile.write(dir.resolve(ModelPackage.CONFIG_FILE), PackageConfigJson.write(packageConfig));
    }

    private void checkFeatureIdentity(EncoderSpec spec) throws IOException {
        try (FeatureExtractor source = FeatureExtractor.load(spec)) {
            if (!source.identity().equals(featureIdentity)) {
                throw new IllegalArgumentException("encoder " + spec + " is " + source.identity() + ", but the features were made with "
                        + featureIdentity + "; package the encoder the features were made with");
            }
        }
        provenance.putIfAbsent("features", featureIdentity);
    }

    private static void checkReplaceable(Path target, boolean zip) throws DataFormatException {
        if (Files.isDirectory(target) && (zip || !isEmptyOrPackage(target))) {
            throw new DataFormatException(target, "is a folder that is not a model package; it is not replaced (choose another path)");
        }
    }

    private static boolean isEmptyOrPackage(Path dir) {
        if (Files.isRegularFile(dir.resolve(ModelPackage.CONFIG_FILE))) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
