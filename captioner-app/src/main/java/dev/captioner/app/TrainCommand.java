package dev.captioner.app;

import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.ScheduledSampling;
import dev.captioner.decoder.train.CaptionTrainer;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.pipeline.DatasetInput;
import dev.captioner.pipeline.TrainingRun;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Trains a caption decoder: reads a dataset, fills (or reuses) the encoder's feature cache, builds the
 * vocabulary from the training captions, and runs {@link CaptionTrainer} with every option of
 * {@link TrainingConfig} and {@link DecoderConfig} as a flag. The run folder ({@code --out}) holds the
 * checkpoints, the training log, the vocabulary and the run's options ({@code train-config.json}, itself
 * a {@code --config} file), so {@code captioner train --out DIR --resume} continues a run as it was started.
 *
 * <p>Where an option's value comes from, first match wins: the command line, the {@code --config} file,
 * (with {@code --resume}) the run's {@code train-config.json}, the default. A resumed run keeps the options
 * that define it ({@link #RUN_DEFINING}); giving one of them another value is an error.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = "Train a caption decoder on a dataset's cached encoder features; continue a run with --resume. Writes OUT/checkpoints (last/, best/), OUT/training-log.csv, OUT/vocab.json and OUT/train-config.json. Every option can also be given in a --config JSON file, keyed by its long name without dashes; options on the command line win. See docs/training.md.")
final class TrainCommand extends BaseCommand {
    /** Options that define a run: a resumed run keeps them, and another value for one is an error. */
    static final Set<String> RUN_DEFINING = Set.of("encoder", "min-word-count", "max-words", "cell", "attention",
            "embedding-size", "hidden-size", "attention-size", "layers", "dropout", "scalar-gate", "deep-output",
            "doubly-stochastic", "doubly-stochastic-scale", "attention-entropy", "attention-entropy-warmup", "attention-entropy-words", "initial-state", "attention-placement", "batch-size", "epochs", "lr", "lr-decay", "lr-decay-every", "lr-on-plateau", "clip-norm",
            "scheduled-sampling", "sampling-mode", "patience", "checkpoint-every", "seed");
    /** Options that belong to one invocation, never to a config file. */
    private static final Set<String> INVOCATION_ONLY = Set.of("config", "resume", "max-steps", "verbose", "device");
    static final String RUN_CONFIG = "train-config.json";

    // Data: a Karpathy split file, or COCO captions files of train and val.
    @Option(names = "--data", paramLabel = "DATASET",
            description = "A folder holding one dataset_*.json (as 'captioner synth' writes), or a Karpathy split file.")
    Path data;

    @Option(names = "--karpathy", paramLabel = "FILE", description = "A Karpathy split file: train (and restval) to train on, val to validate on.")
    Path karpathy;

    @Option(names = "--images", paramLabel = "DIR", description = "The image folder: what the split file's filepath/filename, or the COCO file_name, are relative to (default for a split file: its folder).")
    Path images;

    @Option(names = "--train-captions", paramLabel = "FILE", description = "COCO captions JSON of the training images (with --val-captions, --images).")
    Path trainCaptions;

    @Option(names = "--val-captions", paramLabel = "FILE", description = "COCO captions JSON of the validation images.")
    Path valCaptions;

    @Option(names = "--val-images", paramLabel = "DIR", description = "The image folder of --val-captions (default: --images).")
    Path valImages;

    // Encoder and feature cache.
    @Mixin
    FeatureOptions features = new FeatureOptions();

    // Where it runs: a choice of this invocation, not of the run (a run may resume on another machine).
    @Mixin
    DeviceOption device = new DeviceOption();

    // Vocabulary, decoder sizes and optimisation: the options compare shares.
    @Mixin
    TrainingOptions training = new TrainingOptions();

    // Decoder.
    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "lstm|gru", description = "Recurrent cell (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--attention", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Soft attention over the feature grid (Show, Attend and Tell), or with --no-attention the plain decoder started from the pooled vector (Show and Tell) (default: attention).")
    boolean attention;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--scalar-gate", description = "One context gate β per image (the paper) instead of one per feature.")
    boolean scalarGate;


    // Training.
    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Passes over the training captions (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr-on-plateau", description = "Decay when validation CIDEr-D stops improving instead of every N epochs.")
    boolean lrOnPlateau;

    @Option(names = "--scheduled-sampling", defaultValue = "teacher-forcing", paramLabel = "SPEC", description = "teacher-forcing | always-sample | linear:k=1,c=1e-4,min=0.25 | exponential:k=0.9999 | inverse-sigmoid:k=1000,min=0.75 | step:delta=0.05,every=1,max=0.25 | constant:eps=0.75 (default: ${DEFAULT-VALUE}).")
    String scheduledSampling;

    @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
            description = "Stop after N validations without a better CIDEr-D; 0 never stops early (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--checkpoint-every", defaultValue = "1000", paramLabel = "N",
            description = "Steps between checkpoints, besides one after each epoch; 0: epochs only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Every random choice derives from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Stop this invocation after N steps, with a checkpoint; --resume continues (command line only).")
    Long maxSteps;

    // The run.
    @Option(names = "--out", paramLabel = "DIR", description = "Required. The run folder.")
    Path out;

    @Option(names = "--package", paramLabel = "PKG",
            description = "Where the model package of the best checkpoint goes at the end: a folder, or a file ending in .zip (default: OUT/model).")
    Path packagePath;

    @Option(names = "--package-storage", paramLabel = "float32|float16", defaultValue = "float32",
            description = "How the package stores its weights (default: ${DEFAULT-VALUE}); float16 halves its size.")
    String packageStorage;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, with the options it was started with.")
    boolean resume;

    @Option(names = "--config", paramLabel = "FILE", description = "A JSON file of options (see above); command-line options override it.")
    Path config;

    /** The --config file, and the keys whose values came from it. */
    private ConfigFile configFile;
    private Set<String> fromConfigFile = Set.of();

    @Override
    protected int run() throws Exception {
        Set<String> explicit = gatherOptions();
        if (out == null) {
            throw usage("--out DIR is required (on the command line or in the --config file)");
        }
        storage(packageStorage); // a bad value fails now, not after training
        Path checkpoints = out.resolve(Checkpoint.FOLDER);
        Checkpoint.Saved saved = null;
        if (resume) {
            adoptRunOptions(explicit);
            saved = Checkpoint.read(checkpoints);
        } else if (Files.isDirectory(checkpoints.resolve(Checkpoint.LAST))) {
            throw usage("--out " + out + " already holds a training run; add --resume to continue it, or use another --out");
        }
        checkOptions();
        DatasetInput input = readInput();

        PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        stdout.println("effective configuration (saved as " + out.resolve(RUN_CONFIG) + ", a --config file):");
        stdout.print(ConfigFile.write(spec, INVOCATION_ONLY, out.resolve(RUN_CONFIG)));
        stdout.flush();

        ConsoleProgress console = new ConsoleProgress(stdout, spec.commandLine().getErr());
        TrainingRun.Result result = TrainingRun.builder().setInput(input)
                .setFeatures(features.extraction(device.device(spec)), features.cacheDir(out)).setOut(out).optInstances(boxes())
                .setConfig(decoderConfig(), trainingConfig()).optMinWordCount(training.minWordCount).optResume(saved != null)
                .optMaxSteps(maxSteps == null ? Long.MAX_VALUE : maxSteps)
                .optPackage(packagePath, storage(packageStorage)).optDevice(device.device(spec))
                .optProvenance("command", "captioner " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .build().run(console);
        if (!result.finished()) {
            stdout.printf("stopped after --max-steps %d at step %d; checkpoint %s; continue with --resume%n", maxSteps,
                    result.step(), checkpoints.resolve(Checkpoint.LAST));
            return ExitCode.OK;
        }
        stdout.printf("model package: %s (%s weights)%n", result.modelPackage(), packageStorage);
        return ExitCode.OK;
    }

    private StorageType storage(String name) {
        try {
            return StorageType.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--package-storage: " + e.getMessage());
        }
    }

    /**
     * Applies the --config file to the options the command line left out; returns the keys given on
     * the command line or in the file.
     */
    private Set<String> gatherOptions() throws IOException {
        Set<String> explicit = new HashSet<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            explicit.add(key(option));
        }
        if (config != null) {
            configFile = ConfigFile.read(config, spec, INVOCATION_ONLY);
            configFile.applyTo(explicit);
            fromConfigFile = new HashSet<>(configFile.keys());
            fromConfigFile.removeAll(explicit);
            explicit.addAll(configFile.keys());
        }
        return explicit;
    }

    /** With --resume: the run's options fill in what was not given; a run-defining option given otherwise is an error. */
    private void adoptRunOptions(Set<String> explicit) throws IOException {
        Path file = out.resolve(RUN_CONFIG);
        if (!Files.exists(file)) {
            return; // the checkpoint's own configuration is still checked against the options
        }
        canonicalSchedule();
        ConfigFile run = ConfigFile.read(file, spec, INVOCATION_ONLY);
        for (String key : run.keys()) {
            Object given = spec.findOption("--" + key).getValue();
            if (RUN_DEFINING.contains(key) && explicit.contains(key) && !Objects.equals(given, run.value(key))) {
                throw fail(key, "is " + given + " here but " + run.value(key) + " in the run being resumed (" + file
                        + "); --resume continues a run with the options it was started with");
            }
        }
        run.applyTo(explicit);
    }

    /** Checks every option. */
    private void checkOptions() {
        int sources = (data != null ? 1 : 0) + (karpathy != null ? 1 : 0) + (trainCaptions != null || valCaptions != null ? 1 : 0);
        if (sources != 1) {
            throw usage("give the data as one of --data DIR, --karpathy FILE, or --train-captions FILE --val-captions FILE --images DIR");
        }
        if ((trainCaptions == null) != (valCaptions == null) || (trainCaptions != null && images == null)) {
            throw usage("COCO captions need --train-captions, --val-captions and --images together");
        }
        String[] bad = features.problem();
        if (bad != null) {
            throw features.encoder == null ? usage("--encoder SPEC is required (on the command line or in the --config file)")
                    : fail(bad[0], bad[1]);
        }
        canonicalSchedule();
        bad = training.problem();
        if (bad != null) {
            throw fail(bad[0], bad[1]);
        }
        atLeast("layers", layers, 1);
        atLeast("epochs", epochs, 1);
        atLeast("patience", patience, 0);
        atLeast("checkpoint-every", checkpointEvery, 0);
        if (maxSteps != null) {
            atLeast("max-steps", maxSteps, 1);
        }
    }

    /** Puts --scheduled-sampling in its canonical form, so equal schedules compare equal. */
    private void canonicalSchedule() {
        try {
            scheduledSampling = ScheduledSampling.parse(scheduledSampling).toString();
        } catch (IllegalArgumentException e) {
            throw fail("scheduled-sampling", e.getMessage());
        }
    }

    /** The architecture the options ask for; the run sets the vocabulary and feature sizes from the data. */
    private DecoderConfig.Builder decoderConfig() {
        TrainingOptions t = training;
        return DecoderConfig.builder().setCell(cell).optAttention(attention).optEmbeddingSize(t.embeddingSize).optHiddenSize(t.hiddenSize)
                .optAttentionSize(t.attentionSize).optLayers(layers).optDropout(t.dropout).optVectorGate(!scalarGate)
                .optDeepOutput(t.deepOutput).optInitialState(t.initialState).optPlacement(t.placement);
    }

    /** The training the options ask for; the run sets the decoder. */
    private TrainingConfig.Builder trainingConfig() {
        TrainingOptions t = training;
        return TrainingConfig.builder().optBatchSize(t.batchSize).optEpochs(epochs).optLearningRate(t.lr)
                .optDecay(t.lrDecay, t.lrDecayEvery).optDecayOnPlateau(lrOnPlateau).optClipNorm(t.clipNorm)
                .optDoublyStochastic(t.doublyStochastic, t.doublyStochasticScale).optAttentionEntropy(t.attentionEntropy).optAttentionEntropyWarmup(t.attentionEntropyWarmup).optAttentionEntropyWords(t.attentionEntropyWords).optAttentionSupervision(t.attentionSupervision).optValidationBeam(t.validationBeam(1)).optWeightAverage(t.weightAverage).optScheduledSampling(scheduledSampling, t.samplingMode)
                .optPatience(patience).optCheckpointEvery(checkpointEvery).optMaxWords(t.maxWords).optSeed(seed);
    }

    private DatasetInput readInput() throws IOException {
        if (trainCaptions != null) {
            return DatasetInput.coco(trainCaptions, images, valCaptions, valImages != null ? valImages : images);
        }
        Path splitFile = karpathy != null ? karpathy : DatasetInput.splitFile(data);
        return DatasetInput.karpathy(splitFile, images != null ? images : splitFile.toAbsolutePath().getParent());
    }

    /** The objects' boxes beside a synth-scenes split, for --attention-supervision; null when it is off or there are none. */
    private SynthInstances boxes() throws IOException {
        if (training.attentionSupervision <= 0 || trainCaptions != null) {
            return null;
        }
        Path splitFile = karpathy != null ? karpathy : DatasetInput.splitFile(data);
        Path file = splitFile.toAbsolutePath().getParent().resolve(SynthScenes.INSTANCES_FILE);
        return Files.isRegularFile(file) ? SynthInstances.read(file) : null;
    }

    private void atLeast(String key, long value, long min) {
        check(key, value >= min, "must be at least " + min + ", got " + value);
    }

    private void check(String key, boolean ok, String problem) {
        if (!ok) {
            throw fail(key, problem);
        }
    }

    /** A bad value: at its place in the --config file if it came from there (a data error), else a usage error. */
    private RuntimeException fail(String key, String problem) {
        if (fromConfigFile.contains(key)) {
            return new UncheckedIOException(configFile.error(key, problem));
        }
        return usage("--" + key + " " + problem);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }
}
