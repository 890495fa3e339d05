package dev.captioner.pipeline;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.CaptionTrainer;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.pipeline.model.ModelPackage;
import dev.captioner.pipeline.model.PackageWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training run in one folder, the job behind {@code captioner train}: it fills the feature cache with
 * the images it lacks, builds the vocabulary of the training captions, trains the decoder (or resumes the
 * run saved there) with its log, and writes the model package of the best checkpoint.
 * <pre>
 *   RUN/vocab.json  RUN/training-log.csv  RUN/checkpoints/last/  RUN/checkpoints/best/  RUN/model/
 * </pre>
 * The configuration comes as builders because the vocabulary size and the feature size are facts of the
 * data, which the run learns and sets; everything else is the caller's.
 * <pre>
 * TrainingRun.Result r = TrainingRun.builder().setInput(DatasetInput.karpathy(splitFile, imageRoot))
 *         .setFeatures(extraction, cacheDir).setOut(Path.of("runs/a"))
 *         .setConfig(DecoderConfig.builder().setCell(CellType.LSTM), TrainingConfig.builder().optEpochs(5))
 *         .build().run(ProgressListener.SILENT);
 * </pre>
 */
public final class TrainingRun {
    private final DatasetInput input;
    private final FeatureExtraction extraction;
    private final Path cacheDir;
    private final Path out;
    private final DecoderConfig.Builder decoder;
    private final TrainingConfig.Builder training;
    private final int minWordCount;
    private final boolean resume;
    private final long maxSteps;
    private final Path packagePath;
    private final StorageType storage;
    private final Map<String, Object> provenance;
    private final Device device;
    private final SynthInstances instances;

    private TrainingRun(Builder b) {
        this.input = b.input;
        this.extraction = b.extraction;
        this.cacheDir = b.cacheDir;
        this.out = b.out;
        this.decoder = b.decoder;
        this.training = b.training;
        this.minWordCount = b.minWordCount;
        this.resume = b.resume;
        this.maxSteps = b.maxSteps;
        this.packagePath = b.packagePath != null ? b.packagePath : b.out.resolve("model");
        this.storage = b.storage;
        this.provenance = Map.copyOf(b.provenance);
        this.device = b.device;
        this.instances = b.instances;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run did.
     *
     * @param config       the configuration trained with
     * @param step         the last step taken
     * @param finished     whether training is over (the last epoch, or early stopping); false when stopped at {@code maxSteps}
     * @param stoppedEarly whether early stopping had ended it, before this call or in it
     * @param end          the position and best score of the last checkpoint
     * @param modelPackage the package written, or null where training is not over
     */
    public record Result(TrainingConfig config, long step, boolean finished, boolean stoppedEarly, Checkpoint.Progress end,
            Path modelPackage) {}

    /**
     * Runs (or continues) training to its end, to early stopping or to the step limit.
     *
     * @throws DataFormatException with one line for data it cannot train on, or a resumed run whose configuration differs
     */
    public Result run(ProgressListener listener) throws IOException {
        Path checkpoints = out.resolve(Checkpoint.FOLDER);
        Checkpoint.Saved saved = resume ? Checkpoint.read(checkpoints) : null;
        Files.createDirectories(out);
        FeatureExtraction.Summary filled;
        ImagePreprocessor preprocessor; // where each image's grid lies, for supervised attention's cells
        try (FeatureExtractor extractor = FeatureExtractor.load(extraction.encoder(), extraction.device())) {
            filled = extraction.fill(extractor, input.label(), input.files(), cacheDir, listener);
            preprocessor = extractor.preprocessor();
        }
        try (FeatureCache cached = FeatureCache.open(cacheDir)) {
            DatasetInput data = input;
            if (filled.failed() > 0) {
                data = data.retain(cached::contains);
                listener.note(String.format("training without the %d images that could not be read", filled.failed()));
            }
            if (data.split().split("train").isEmpty()) {
                throw new DataFormatException(Path.of(data.label()), "no training images (split \"train\" or \"restval\")");
            }
            if (data.split().split("val").isEmpty()) {
                listener.note("warning: no validation images (split \"val\"): validation scores are empty and CIDEr-D counts as 0");
            }
            Vocabulary vocabulary = saved != null ? saved.vocabulary() : DatasetInput.trainingVocabulary(data.split(), minWordCount);
            vocabulary.save(out.resolve("vocab.json"));
            TrainingConfig config = training.setDecoder(decoder.setVocabularySize(vocabulary.size())
                    .setFeatureSize(cached.layout().channels()).build()).build();
            if (saved != null) {
                checkSameRun(saved, config, minWordCount, checkpoints);
            }
            listener.note(String.format("vocabulary: %d words (%d with <pad> <start> <end> <unk>), min count %d; saved %s",
                    vocabulary.size() - 4, vocabulary.size(), vocabulary.minCount(), out.resolve("vocab.json")));
            CaptionData captions = CaptionData.of(data.split(), vocabulary, config.maxWords(),
                    wordRegions(config, data, cached.layout(), preprocessor));
            if (config.attentionSupervision() > 0 && config.decoder().attention()) {
                listener.note("supervised attention (weight " + config.attentionSupervision() + "): " + GroundedCaptions.summary(captions));
            }
            try (CaptionTrainer trainer = saved != null ? CaptionTrainer.resume(checkpoints, captions, CachedFeatures.of(cached), device)
                    : CaptionTrainer.start(config, vocabulary, captions, CachedFeatures.of(cached), checkpoints, device);
                    TrainingLog log = saved != null ? TrainingLog.resume(out.resolve(TrainingLog.FILE), saved.progress())
                            : TrainingLog.create(out.resolve(TrainingLog.FILE))) {
                return train(trainer, captions, log, saved, checkpoints, cached.layout().encoder(), listener);
            }
        }
    }

    /** The cells each caption's words should look at, where the configuration supervises attention; else null. */
    private CaptionData.WordRegions wordRegions(TrainingConfig config, DatasetInput data, CacheLayout layout,
            ImagePreprocessor preprocessor) throws DataFormatException {
        if (config.attentionSupervision() <= 0 || !config.decoder().attention()) {
            return null;
        }
        if (instances == null) {
            throw new DataFormatException(Path.of(data.label()), "supervised attention needs the objects' boxes (a synth-scenes "
                    + SynthScenes.INSTANCES_FILE + " beside the captions); there is none");
        }
        return GroundedCaptions.of(instances, preprocessor, layout.gridHeight(), layout.gridWidth());
    }

    private Result train(CaptionTrainer trainer, CaptionData captions, TrainingLog log, Checkpoint.Saved saved, Path checkpoints,
            String identity, ProgressListener listener) throws IOException {
        TrainingConfig cfg = trainer.config();
        long perEpoch = (captions.train().size() + cfg.batchSize() - 1) / cfg.batchSize();
        listener.note(String.format("training %s (%,d parameters) on %d captions of %d images, validating on %d images: %d steps per"
                + " epoch, epochs %d%s", describe(cfg.decoder()), parameterCount(trainer), captions.train().size(),
                captions.train().stream().map(CaptionData.Example::imageId).distinct().count(), captions.validationImages().size(),
                perEpoch, cfg.epochs(), saved == null ? "" : "; resuming at step " + trainer.step()));
        boolean stoppedEarly = saved != null && cfg.patience() > 0 && saved.progress().sinceBest() >= cfg.patience();
        boolean over = stoppedEarly;
        if (!stoppedEarly) {
            try (ProgressListener.Task task = listener.start("train", cfg.epochs() * perEpoch, trainer.step(), "step")) {
                double rate = saved != null ? saved.progress().learningRate() : cfg.learningRate();
                over = trainer.train(new TrainingProgress(log, task, listener, rate), maxSteps);
            }
        }
        if (!over) {
            trainer.saveCheckpoint();
            return new Result(cfg, trainer.step(), false, false, Checkpoint.read(checkpoints).progress(), null);
        }
        Checkpoint.Progress end = Checkpoint.read(checkpoints).progress();
        listener.note(String.format("training %s at step %d; best validation CIDEr-D %s at step %d",
                stoppedEarly ? "had stopped early" : "finished", end.step(), TrainingLog.number(end.bestScore()), end.bestStep()));
        PackageWriter writer = ModelPackage.fromCheckpoint(checkpoints, extraction.encoder().toString()).optFeatureIdentity(identity)
                .optStorage(storage);
        provenance.forEach(writer::optProvenance);
        if (end.bestScore() > Double.NEGATIVE_INFINITY) {
            writer.optProvenance("validation_cider_d", end.bestScore()).optProvenance("best_step", end.bestStep());
        }
        writer.write(packagePath);
        return new Result(cfg, end.step(), true, stoppedEarly, end, packagePath);
    }

    /** A resumed run must be the run its checkpoint was saved from. */
    private static void checkSameRun(Checkpoint.Saved saved, TrainingConfig asked, int minWordCount, Path checkpoints)
            throws DataFormatException {
        List<String> differences = new ArrayList<>(RecordDifferences.between(saved.config(), asked));
        if (saved.vocabulary().minCount() != minWordCount) {
            differences.add("min word count " + saved.vocabulary().minCount() + " there, " + minWordCount + " here");
        }
        if (!differences.isEmpty()) {
            throw new DataFormatException(checkpoints, "the checkpoint was trained with other options (" + String.join("; ", differences)
                    + "); give the options it was started with, or start a new run in another --out");
        }
    }

    private static String describe(DecoderConfig d) {
        return d.kind() + " (V=" + d.vocabularySize() + ", E=" + d.embeddingSize() + ", H=" + d.hiddenSize()
                + (d.attention() ? ", A=" + d.attentionSize() : "") + ", D=" + d.featureSize() + ", layers " + d.layers() + ")";
    }

    private static long parameterCount(CaptionTrainer trainer) {
        long count = 0;
        for (Pair<String, Parameter> p : trainer.decoder().getParameters()) {
            count += p.getValue().getArray().getShape().size();
        }
        return count;
    }

    /** Builds a {@link TrainingRun}: input, features, folder and configuration are required. */
    public static final class Builder {
        private DatasetInput input;
        private FeatureExtraction extraction;
        private Path cacheDir;
        private Path out;
        private DecoderConfig.Builder decoder;
        private TrainingConfig.Builder training;
        private int minWordCount = 5;
        private boolean resume;
        private long maxSteps = Long.MAX_VALUE;
        private Path packagePath;
        private StorageType storage = StorageType.FLOAT32;
        private final Map<String, Object> provenance = new LinkedHashMap<>();
        private Device device;
        private SynthInstances instances;

        Builder() {}

        /** The captioned images: train (and restval) to train on, val to validate on (required). */
        public Builder setInput(DatasetInput input) {
            this.input = Objects.requireNonNull(input, "input");
            return this;
        }

        /** How features are made, and the cache that holds them (required; filled with what it lacks). */
        public Builder setFeatures(FeatureExtraction extraction, Path cacheDir) {
            this.extraction = Objects.requireNonNull(extraction, "extraction");
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
            return this;
        }

        /** The run's folder (required). */
        public Builder setOut(Path out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /** The architecture and the training, less the vocabulary and feature sizes, which the run sets from the data (required). */
        public Builder setConfig(DecoderConfig.Builder decoder, TrainingConfig.Builder training) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            this.training = Objects.requireNonNull(training, "training");
            return this;
        }

        /** Words seen fewer times in the training captions are {@code <unk>}; default 5. */
        public Builder optMinWordCount(int minWordCount) {
            this.minWordCount = minWordCount;
            return this;
        }

        /** Continue the run saved in the folder (its configuration must be the one given); default: a new run. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Stop after this many steps in this call, with a checkpoint to resume from; default: no limit. */
        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Where the model package goes (default RUN/model) and how it stores its weights (default float32). */
        public Builder optPackage(Path packagePath, StorageType storage) {
            this.packagePath = packagePath;
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /** A fact for the package's provenance, e.g. the command that ran. */
        public Builder optProvenance(String key, Object value) {
            provenance.put(key, value);
            return this;
        }

        /** The objects' boxes of the training images, for supervised attention; default none. */
        public Builder optInstances(SynthInstances instances) {
            this.instances = instances;
            return this;
        }

        /** Where the encoder and the decoder run; default (null) what DJL finds. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        public TrainingRun build() {
            if (input == null || extraction == null || out == null || decoder == null) {
                throw new IllegalStateException("TrainingRun.builder(): setInput, setFeatures, setOut and setConfig are required");
            }
            return new TrainingRun(this);
        }
    }
}
