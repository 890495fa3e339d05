package dev.captioner.app;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.sampling.ScheduledSampling;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.metrics.grounding.GridCeiling;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.pipeline.ComparisonRun;
import dev.captioner.pipeline.DatasetInput;
import dev.captioner.pipeline.FeatureExtraction;
import dev.captioner.pipeline.ProgressListener;
import dev.captioner.pipeline.RecordDifferences;
import dev.captioner.pipeline.compare.Calibration;
import dev.captioner.pipeline.compare.CompareModel;
import dev.captioner.pipeline.compare.CompareReport;
import dev.captioner.pipeline.compare.CompareSettings;
import dev.captioner.pipeline.compare.RunResult;
import dev.captioner.pipeline.compare.SplitSizes;
import dev.captioner.pipeline.compare.StepBudget;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.FeatureCaptioner;
import dev.captioner.pipeline.model.SnapshotDecoder;
import dev.captioner.pipeline.report.MarkdownTables;
import dev.captioner.pipeline.report.ReportCaption;
import dev.captioner.pipeline.report.ReportImage;
import dev.captioner.pipeline.report.TrainingHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Trains and evaluates the grid of {@link CompareModel}s on the same cached features, splits, seeds and
 * number of steps, and writes the tables, charts and HTML report of {@link CompareReport}.
 *
 * <p><b>Budget.</b> Every run takes the same number of training steps S: {@code --steps S}, or else S is
 * worked out from {@code --budget MINUTES} (the wall clock of the whole comparison, calibration and report
 * included) by timing a few steps, a validation and a test evaluation of each model ({@link Calibration},
 * {@link StepBudget}). S is saved in {@code OUT/compare.json} and printed, so the comparison can be repeated
 * with {@code --steps S}; a rerun into the same folder reuses it and skips the runs that are done.
 *
 * <p><b>Which parameters are evaluated.</b> Each run validates (greedy CIDEr-D on the validation images)
 * {@code --validations} times, evenly spaced and the last after its final step, and at every epoch end;
 * with {@code --checkpoint best} (the default) the test split is captioned with the parameters of its best
 * validation, with {@code final} with those after the last step.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        defaultValueProvider = CompareCommand.Defaults.class,
        description = {"Train and evaluate {plain, attention} x {LSTM, GRU} decoders, and the attention LSTM with scheduled sampling"
                + " and with always sampling, on the same cached features, seeds and number of steps; write tables (mean ± std over"
                + " seeds, by number of objects, grounding accuracy), charts and an HTML report into OUT. A rerun into the same OUT"
                + " skips the runs that are done. See docs/compare.md."})
final class CompareCommand extends BaseCommand {
    /** Images the HTML report shows by default. */
    static final int REPORT_IMAGES = 12;

    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "A folder holding one dataset_*.json (as 'captioner synth' writes), or a Karpathy split file.")
    Path data;

    @Option(names = "--images", paramLabel = "DIR", description = "The folder the split file's filepath/filename are relative to (default: its folder).")
    Path images;

    @Option(names = "--instances", paramLabel = "FILE", description = "The objects of each image (default: instances.json beside the split file).")
    Path instances;

    /** The encoder and cache options shared with train. */
    @Mixin
    FeatureOptions features = new FeatureOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The comparison's folder: runs/, charts/, report/, results.md, summary.json.")
    Path out;

    @Option(names = "--models", paramLabel = "LIST", defaultValue = "all",
            description = "Models to run, comma-separated: plain-lstm, plain-gru, att-lstm, att-gru, att-lstm-ss, att-lstm-always, or all (default).")
    String models;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per model: --seed, --seed + 1, ... (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "The first seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps of every run; overrides --budget.")
    Long steps;

    @Option(names = "--budget", paramLabel = "MINUTES",
            description = "Wall clock for the whole comparison, turned into one step count for every run by timing each model (default: 50 without --steps).")
    Double budget;

    @Option(names = "--jobs", defaultValue = "2", paramLabel = "N",
            description = "Runs trained at once, each in a process of its own with one libtorch thread; 2 suits a 2-core machine (default: ${DEFAULT-VALUE}).")
    int jobs;

    /** Set on the processes that --jobs starts: train the runs not taken by another worker, then stop without a report. */
    @Option(names = "--worker", hidden = true)
    boolean worker;

    @Option(names = "--dry-run", description = "Only work out and print the plan (steps per run, predicted time); train nothing.")
    boolean dryRun;

    @Option(names = "--validations", defaultValue = "8", paramLabel = "N",
            description = "Validations per run, evenly spaced, the last after the final step; epoch ends add theirs (default: ${DEFAULT-VALUE}).")
    int validations;

    @Option(names = "--checkpoint", defaultValue = "best", paramLabel = "best|final",
            description = "Evaluate each run's best validation CIDEr-D or its final parameters (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--train-images", paramLabel = "N", description = "Train on the first N training images only (default: all).")
    Integer trainImages;

    @Option(names = "--val-images", paramLabel = "N", description = "Validate on the first N validation images only (default: all).")
    Integer valImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Evaluate on the first N test images only (default: all).")
    Integer testImages;

    /** The options shared with train, with compare's defaults ({@link Defaults}). */
    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--scheduled-sampling", defaultValue = "auto", paramLabel = "SPEC",
            description = "The schedule of att-lstm-ss: a spec as for 'captioner train', or auto: inverse-sigmoid falling to its floor ε = 0.75 (a quarter of the words sampled) at the middle of the run (default).")
    String scheduledSampling;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "K", description = "Beam size of the test captions; 1 is greedy (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--max-length", defaultValue = "20", paramLabel = "N", description = "The most words a test caption gets (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--report-images", defaultValue = "" + REPORT_IMAGES, paramLabel = "N",
            description = "Test images in the HTML report, taken by turns over 1, 2, 3, 4 objects (default: ${DEFAULT-VALUE}).")
    int reportImages;

    private long started;
    /** The folder the split file's image paths are relative to. */
    private Path root;

    @Override
    protected int run() throws Exception {
        started = System.nanoTime();
        List<CompareModel> chosen = checkOptions();
        if (jobs > 1) {
            // Calibrate as each worker will train: one libtorch thread (read when the engine loads, just below).
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        PrintWriter stdout = spec.commandLine().getOut();

        Path splitFile = DatasetInput.splitFile(data);
        root = images != null ? images : splitFile.toAbsolutePath().getParent();
        KarpathySplit split = new SplitSizes(trainImages, valImages, testImages).apply(KarpathySplit.read(splitFile));
        Path instancesFile = instances != null ? instances : splitFile.toAbsolutePath().getParent().resolve(SynthScenes.INSTANCES_FILE);
        SynthInstances objects = SynthInstances.read(instancesFile);

        Path cacheDir = features.cacheDir(out);
        ImagePreprocessor preprocessor;
        try (FeatureExtractor extractor = FeatureExtractor.load(features.encoderSpec())) {
            FeatureExtraction.Summary filled = features.extraction().fill(extractor, splitFile.toString(),
                    FeatureExtraction.imageFiles(split.images(), root), cacheDir, new ConsoleProgress(stdout, spec.commandLine().getErr()));
            preprocessor = extractor.preprocessor();
            if (filled.failed() > 0) {
                throw new DataFormatException(splitFile, filled.failed() + " images could not be read (see above); every run must"
                        + " see the same images");
            }
        }
        try (FeatureCache cached = FeatureCache.open(cacheDir)) {
            return compare(chosen, split, objects, instancesFile, splitFile, cached, preprocessor, stdout);
        }
    }

    private int compare(List<CompareModel> chosen, KarpathySplit split, SynthInstances instancesRead, Path instancesFile, Path splitFile,
            FeatureCache features, ImagePreprocessor preprocessor, PrintWriter stdout) throws IOException, InterruptedException {
        List<KarpathyImage> test = split.split("test");
        requireImages(split, splitFile, test);
        Map<Long, List<SynthAnnotation>> objects = instancesRead.annotationsByImage();
        Map<Long, CropRegion> crops = crops(test, instancesRead, instancesFile, preprocessor);
        Map<Long, GridRegion> regions = new LinkedHashMap<>();
        crops.forEach((id, crop) -> regions.put(id, new GridRegion(crop.x(), crop.y(), crop.width(), crop.height())));
        Vocabulary vocabulary = DatasetInput.trainingVocabulary(split, training.minWordCount);
        CaptionData data = CaptionData.of(split, vocabulary, training.maxWords);
        TrainingOptions t = training;
        CompareSettings base = new CompareSettings(splitFile.toAbsolutePath().normalize().toString(), features.layout().encoder(),
                new SplitSizes(trainImages, valImages, testImages), t.minWordCount, t.maxWords, t.embeddingSize, t.hiddenSize,
                t.attentionSize, t.dropout, t.doublyStochastic, t.batchSize, t.lr, t.lrDecay, t.lrDecayEvery, t.clipNorm, scheduledSampling,
                t.samplingMode, 1, validations, checkpoint, beam, maxLength, t.doublyStochasticScale, t.initialState,
                t.placement);
        ComparisonRun runner = new ComparisonRun(base, vocabulary, data, features, test, objects, regions);
        stdout.printf("comparing %s with seeds %s: %,d training captions of %d images (%d steps an epoch at %d), %d validation images,"
                + " %d test images%n", names(chosen), seedList(), data.train().size(), split.split("train").size(),
                runner.stepsPerEpoch(), training.batchSize, data.validationImages().size(), test.size());

        Map<String, Object> facts = new LinkedHashMap<>();
        CompareSettings recorded = CompareSettings.read(out);
        CompareSettings settings = plan(base, recorded, chosen, runner, split, test, features, facts, stdout);
        if (dryRun) {
            return ExitCode.OK;
        }
        Files.createDirectories(out);
        settings.write(out);
        runner = new ComparisonRun(settings, vocabulary, data, features, test, objects, regions);

        if (worker) {
            runAll(chosen, runner, stdout);
            return ExitCode.OK;
        }
        if (jobs > 1) {
            new CompareWorkers(out, jobs, workerArguments(settings.steps()), pendingRuns(chosen), stdout).run();
        }
        List<RunResult> results = runAll(chosen, runner, stdout);
        CompareReport report = report(chosen, results, split.dataset(), runner, crops, facts);
        CompareReport.Written written = report.write(out);
        stdout.println();
        stdout.print(MarkdownTables.create().render(report.tables().get(0)));
        stdout.printf("%ntables: %s%nsummary: %s%ncharts: %s%nHTML report: %s%n%d runs of %d steps; %.0f s in all%n", written.results(),
                written.summary(), out.resolve(CompareReport.CHARTS), written.report(), results.size(), settings.steps(), seconds());
        return ExitCode.OK;
    }

    /** Where the encoder's grid lies in each test image ({@code instances.json} has the image sizes). */
    private static Map<Long, CropRegion> crops(List<KarpathyImage> test, SynthInstances instances, Path instancesFile,
            ImagePreprocessor preprocessor) throws DataFormatException {
        Map<Long, CocoImage> sizes = new LinkedHashMap<>();
        instances.images().forEach(image -> sizes.put(image.id(), image));
        Map<Long, CropRegion> crops = new LinkedHashMap<>();
        for (KarpathyImage image : test) {
            CocoImage size = sizes.get(image.id());
            if (size == null) {
                throw new DataFormatException(instancesFile, "test image " + image.id() + " (" + image.relativePath()
                        + ") has no entry; compare needs the objects of every test image");
            }
            crops.put(image.id(), preprocessor.cropRegion(size.width(), size.height()));
        }
        return crops;
    }

    /** The report of every run: its tables and charts, and the sample images with each model's captions. */
    private CompareReport report(List<CompareModel> chosen, List<RunResult> results, String dataset, ComparisonRun runner,
            Map<Long, CropRegion> crops, Map<String, Object> facts) throws IOException {
        CompareSettings settings = runner.settings();
        CompareReport.Builder report = CompareReport.builder().setCommand(commandLine()).setSettings(settings)
                .optTitle("Attention vs plain, LSTM vs GRU, scheduled sampling: " + dataset);
        for (RunResult result : results) {
            CompareModel model = chosen.stream().filter(m -> m.name().equals(result.model())).findFirst().orElseThrow();
            report.addRun(result, TrainingHistory.read(runDir(model, result.seed())), model.attention());
        }
        List<KarpathyImage> sample = sample(runner.test(), runner.objects());
        report.optImages(sample.stream().map(image -> new ReportImage(image.id(), root.resolve(image.relativePath()),
                image.sentences().stream().map(KarpathySentence::raw).toList(), objectCount(runner.objects().get(image.id())))).toList());
        for (CompareModel model : chosen) {
            report.optCaptions(model.name(), sampleCaptions(model, sample, crops, runner));
        }
        notes(report, settings, chosen, runner);
        facts.put("models", chosen.stream().map(CompareModel::name).toList());
        facts.put("seeds", seedList());
        facts.put("elapsed_seconds", Math.round(seconds()));
        facts.forEach(report::optFact);
        return report.build();
    }

    /** The step count (from --steps, the recorded comparison, or the budget) and the settings that go with it. */
    private CompareSettings plan(CompareSettings base, CompareSettings recorded, List<CompareModel> chosen, ComparisonRun runner,
            KarpathySplit split, List<KarpathyImage> test, FeatureCache features, Map<String, Object> facts, PrintWriter stdout)
            throws IOException {
        long planned;
        if (steps != null) {
            planned = steps;
            facts.put("steps_from", "--steps");
        } else if (recorded != null) {
            planned = recorded.steps();
            facts.put("steps_from", "recorded in " + out.resolve(CompareSettings.FILE));
            stdout.printf("continuing the comparison in %s: %d steps a run, as recorded there%n", out, planned);
        } else {
            planned = calibrate(chosen, runner, split, test, features, facts, stdout);
        }
        String schedule = scheduledSampling.equals("auto") ? StepBudget.inverseSigmoidFor(planned)
                : ScheduledSampling.parse(scheduledSampling).toString();
        CompareSettings settings = base.withSteps(planned, schedule);
        if (recorded != null) {
            List<String> differences = RecordDifferences.between(recorded, settings);
            if (!differences.isEmpty()) {
                throw usage("--out " + out + " holds a comparison made with other settings (" + String.join("; ", differences)
                        + "); give the same options to continue it, or use another --out");
            }
        }
        facts.put("steps", planned);
        stdout.printf("every run: %d steps (%.2f epochs), validated after steps %s and at epoch ends; %s checkpoint evaluated%s;"
                + " repeat with --steps %d%n", planned, (double) planned / runner.stepsPerEpoch(), settings.validationSteps(), checkpoint,
                chosen.stream().anyMatch(m -> m.feeding() == CompareModel.Feeding.SCHEDULED_SAMPLING) ? "; scheduled sampling: " + schedule
                        : "", planned);
        return settings;
    }

    /** Times each model and turns the budget into steps. */
    private long calibrate(List<CompareModel> chosen, ComparisonRun runner, KarpathySplit split, List<KarpathyImage> test,
            FeatureCache features, Map<String, Object> facts, PrintWriter stdout) throws IOException {
        double minutes = budget != null ? budget : 50;
        long trial = Calibration.WARMUP_STEPS + Calibration.TIMED_STEPS;
        List<StepBudget.ModelCost> costs = new ArrayList<>();
        Map<String, StepBudget.ModelCost> byModel = new LinkedHashMap<>();
        List<Long> testIds = test.stream().map(KarpathyImage::id).toList();
        Path scratch = out.toAbsolutePath().normalize().resolveSibling(out.getFileName() + ".calibration");
        CompareSettings trialSettings = runner.settings().withSteps(trial, "constant:eps=0.5"); // att-lstm-ss at ε = 1/2
        for (CompareModel model : chosen) {
            StepBudget.ModelCost cost = Calibration.measure(trialSettings.training(model, seed, runner.vocabulary().size(),
                    features.layout().channels(), runner.stepsPerEpoch(), trial), runner.vocabulary(), split, testIds, features,
                    runner.search(), scratch);
            costs.add(cost);
            byModel.put(model.name(), cost);
            stdout.printf(Locale.ROOT, "calibration %s: %.0f ms a step, %.1f s a validation, %.1f s the test evaluation%n", model.name(),
                    cost.stepSeconds() * 1000, cost.validationSeconds(), cost.testSeconds());
        }
        StepBudget.Plan shape = new StepBudget.Plan(seeds, validations, runner.stepsPerEpoch());
        // With N workers the runs take about 1/N of the time they would one after another (each was timed on one thread).
        double spent = seconds();
        double budgetSeconds = jobs == 1 ? minutes * 60
                : spent + StepBudget.REPORT_SECONDS + jobs * (minutes * 60 - spent - StepBudget.REPORT_SECONDS);
        long planned = StepBudget.steps(budgetSeconds, spent, costs, shape);
        if (planned < 1) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a budget of %s minutes fits no training step: %d runs need %.0f s"
                    + " for validations and test evaluations alone (calibration: see above); give a larger --budget, or --steps",
                    number(minutes), chosen.size() * seeds, StepBudget.seconds(0, costs, shape)));
        }
        double predicted = StepBudget.seconds(planned, costs, shape) / jobs;
        stdout.printf(Locale.ROOT, "budget %s minutes: %d steps a run, predicted %.1f minutes for %d runs (calibration took %.0f s)%n",
                number(minutes), planned, predicted / 60, chosen.size() * seeds, seconds());
        facts.put("steps_from", "--budget " + number(minutes) + " (calibration)");
        facts.put("calibration", byModel);
        facts.put("predicted_seconds", Math.round(predicted));
        return planned;
    }

    /** The run folders without a result, models then seeds. */
    private List<Path> pendingRuns(List<CompareModel> chosen) {
        List<Path> pending = new ArrayList<>();
        for (CompareModel model : chosen) {
            for (long s = seed; s < seed + seeds; s++) {
                if (!RunResult.exists(runDir(model, s))) {
                    pending.add(runDir(model, s));
                }
            }
        }
        return pending;
    }

    /** This command line ({@code compare ...}, as given) for a worker: the step count fixed, no budget, no --jobs. */
    private List<String> workerArguments(long planned) {
        List<String> args = new ArrayList<>();
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < original.size(); i++) {
            String arg = original.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (List.of("--budget", "--jobs", "--steps").contains(name)) {
                i += arg.contains("=") ? 0 : 1; // drop the option and its value
            } else if (!arg.equals("--dry-run")) {
                args.add(arg);
            }
        }
        args.addAll(List.of("--steps", String.valueOf(planned), "--worker"));
        return args;
    }

    /**
     * Trains and evaluates every run that is not done yet; returns every run's result, models then seeds. A
     * worker trains only the runs it claims ({@link CompareWorkers#claim}) and returns nothing.
     */
    private List<RunResult> runAll(List<CompareModel> chosen, ComparisonRun runner, PrintWriter stdout) throws IOException {
        List<RunResult> results = new ArrayList<>();
        List<PendingRun> pending = new ArrayList<>();
        for (CompareModel model : chosen) {
            for (long s = seed; s < seed + seeds; s++) {
                Path dir = runDir(model, s);
                if (RunResult.exists(dir)) {
                    stdout.printf("%s seed %d: done before (%s); skipped%n", model.name(), s, dir.resolve(RunResult.FILE));
                } else {
                    pending.add(new PendingRun(model, s));
                }
            }
        }
        stdout.flush();
        long total = pending.size() * runner.settings().steps();
        ConsoleProgress console = new ConsoleProgress(stdout, spec.commandLine().getErr());
        try (ProgressListener.Task bar = pending.isEmpty() ? null : console.start("compare", total, 0, "step")) {
            for (int i = 0; i < pending.size(); i++) {
                PendingRun next = pending.get(i);
                Path dir = runDir(next.model(), next.seed());
                if (worker && !CompareWorkers.claim(out, dir)) {
                    continue; // another worker has it
                }
                runner.run(next.model(), next.seed(), dir, bar, i * runner.settings().steps(), console);
            }
        }
        if (worker) {
            return results;
        }
        for (CompareModel model : chosen) {
            for (long s = seed; s < seed + seeds; s++) {
                results.add(RunResult.read(runDir(model, s)));
            }
        }
        return results;
    }

    /** A run that has no result yet. */
    private record PendingRun(CompareModel model, long seed) {}

    /**
     * The HTML report's images: taken by turns from the test images with 1, 2, 3, 4 ... objects, each group in
     * the split's order, up to --report-images.
     */
    private List<KarpathyImage> sample(List<KarpathyImage> test, Map<Long, List<SynthAnnotation>> objects) {
        TreeMap<Integer, List<KarpathyImage>> byCount = new TreeMap<>();
        for (KarpathyImage image : test) {
            byCount.computeIfAbsent(objects.get(image.id()).size(), n -> new ArrayList<>()).add(image);
        }
        List<KarpathyImage> sample = new ArrayList<>();
        for (int round = 0; sample.size() < Math.min(reportImages, test.size()); round++) {
            for (List<KarpathyImage> group : byCount.values()) {
                if (round < group.size() && sample.size() < reportImages) {
                    sample.add(group.get(round));
                }
            }
        }
        return sample;
    }

    /** One model's captions of the sample images: its first seed's evaluated checkpoint, the test search. */
    private Map<Long, ReportCaption> sampleCaptions(CompareModel model, List<KarpathyImage> sample, Map<Long, CropRegion> crops,
            ComparisonRun runner) throws IOException {
        Path dir = runDir(model, seed);
        Path snapshot = dir.resolve(RunResult.read(dir).snapshot());
        Map<Long, ReportCaption> captions = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<Long, Caption> found = new FeatureCaptioner(SnapshotDecoder.load(snapshot, manager),
                    Checkpoint.readSnapshot(snapshot).vocabulary(), runner.search()).caption(runner.cache(),
                    sample.stream().map(KarpathyImage::id).toList());
            found.forEach((id, caption) -> captions.put(id, new ReportCaption(caption, model.attention() ? crops.get(id) : null)));
        }
        return captions;
    }

    private void notes(CompareReport.Builder report, CompareSettings settings, List<CompareModel> chosen, ComparisonRun runner) {
        CaptionData data = runner.data();
        int testCount = runner.test().size();
        report.optNote(String.format(Locale.ROOT, "Models %s, seeds %s; each run trains %d steps of %d captions (%.2f epochs of %,d"
                + " training captions); E, H, A = %d, %d, %d; Adam, lr %s.", names(chosen), seedList(), settings.steps(),
                settings.batchSize(), (double) settings.steps() / runner.stepsPerEpoch(), data.train().size(), settings.embeddingSize(),
                settings.hiddenSize(), settings.attentionSize(), number(settings.learningRate())));
        report.optNote("Validation (greedy CIDEr-D on " + data.validationImages().size() + " images) after steps "
                + settings.validationSteps() + " and at epoch ends; the test split (" + testCount + " images) is captioned with the "
                + (settings.checkpoint().equals("best") ? "best validation's parameters" : "final parameters") + ", "
                + (settings.beam() == 1 ? "greedy search" : "beam search K = " + settings.beam()) + ".");
        List<String> feeding = new ArrayList<>();
        for (CompareModel model : chosen) {
            switch (model.feeding()) {
                case SCHEDULED_SAMPLING -> feeding.add(model.name() + ": scheduled sampling, " + settings.scheduledSampling()
                        + " (ε, the probability of feeding the ground truth, by step)");
                case ALWAYS_SAMPLE -> feeding.add(model.name() + ": always the sampled word");
                default -> { }
            }
        }
        feeding.add("the others: teacher forcing");
        report.optNote(String.join("; ", feeding) + ".");
        if (chosen.stream().anyMatch(CompareModel::attention)) {
            report.optNote("Grounding: the share of object-naming words whose attention peak falls inside a named object's box;"
                    + " hallucination rate: the share that fit no object of the image (docs/report.md).");
            GridCeiling ceiling = new GridCeiling();
            int rows = runner.cache().layout().gridHeight();
            int cols = runner.cache().layout().gridWidth();
            runner.test().forEach(image -> ceiling.add(runner.objects().get(image.id()), runner.regions().get(image.id()), rows, cols));
            report.optNote(String.format(Locale.ROOT, "The %d x %d grid's ceiling, the share of test objects whose box holds a cell"
                    + " centre (the most grounding can reach): %.3f overall, %.3f for small objects, %.3f for large ones.", rows, cols,
                    ceiling.ceiling(), ceiling.ceiling(ObjectSize.SMALL), ceiling.ceiling(ObjectSize.LARGE)));
        }
        report.optNote("The sample images show the first seed's captions.");
    }

    private List<CompareModel> checkOptions() {
        List<CompareModel> chosen;
        try {
            chosen = CompareModel.parse(models);
        } catch (IllegalArgumentException e) {
            throw usage("--models: " + e.getMessage());
        }
        String[] bad = features.problem();
        check(bad == null, bad == null ? "" : "--" + bad[0] + " " + bad[1]);
        if (!scheduledSampling.equals("auto")) {
            try {
                ScheduledSampling.parse(scheduledSampling);
            } catch (IllegalArgumentException e) {
                throw usage("--scheduled-sampling: " + e.getMessage());
            }
        }
        if (steps != null && budget != null) {
            throw usage("give --steps or --budget, not both (--steps fixes the steps of every run, --budget works them out)");
        }
        check(budget == null || (budget > 0 && Double.isFinite(budget)), "--budget must be a positive number of minutes, got " + budget);
        check(steps == null || steps >= 1, "--steps must be at least 1, got " + steps);
        check(checkpoint.equals("best") || checkpoint.equals("final"), "--checkpoint must be best or final, not '" + checkpoint + "'");
        int[] positive = {seeds, validations, beam, maxLength};
        String[] names = {"seeds", "validations", "beam", "max-length"};
        for (int i = 0; i < positive.length; i++) {
            check(positive[i] >= 1, "--" + names[i] + " must be at least 1, got " + positive[i]);
        }
        check(jobs >= 1 && jobs <= 64, "--jobs must be between 1 and 64, got " + jobs);
        check(reportImages >= 0, "--report-images must be at least 0, got " + reportImages);
        for (Integer n : new Integer[] {trainImages, valImages, testImages}) {
            check(n == null || n >= 1, "--train-images, --val-images and --test-images must be at least 1, got " + n);
        }
        bad = training.problem();
        check(bad == null, bad == null ? "" : "--" + bad[0] + " " + bad[1]);
        return chosen;
    }

    /**
     * compare's defaults for the options it shares with train: the bundled model's training
     * (docs/bundled-model.md), which suits a CPU: E = H = A = 256, batch 64, Adam 1e-3, dropout 0.3, all
     * words, captions up to 20 words, decay every 2 epochs; no doubly stochastic term and a zero first state
     * for the attention decoders (docs/results.md).
     */
    static final class Defaults implements IDefaultValueProvider {
        // λ = 0 and a zero first state: what the ablation of docs/results.md found best for grounding at equal CIDEr-D.
        private static final Map<String, String> VALUES = Map.ofEntries(Map.entry("--min-word-count", "1"),
                Map.entry("--max-words", "20"), Map.entry("--embedding-size", "256"), Map.entry("--hidden-size", "256"),
                Map.entry("--attention-size", "256"), Map.entry("--dropout", "0.3"), Map.entry("--batch-size", "64"),
                Map.entry("--lr", "1e-3"), Map.entry("--lr-decay-every", "2"), Map.entry("--doubly-stochastic", "0"),
                Map.entry("--initial-state", "zero"));

        @Override
        public String defaultValue(ArgSpec argument) {
            return argument instanceof OptionSpec option ? VALUES.get(option.longestName()) : null;
        }
    }

    private static void requireImages(KarpathySplit split, Path splitFile, List<KarpathyImage> test) throws DataFormatException {
        for (String name : List.of("train", "val")) {
            if (split.split(name).isEmpty()) {
                throw new DataFormatException(splitFile, "no " + name + " images: compare trains on train, validates on val and tests on test");
            }
        }
        if (test.isEmpty()) {
            throw new DataFormatException(splitFile, "no test images: compare trains on train, validates on val and tests on test");
        }
    }

    private Path runDir(CompareModel model, long s) {
        return out.resolve("runs").resolve(model.name()).resolve("seed-" + s);
    }

    private static String objectCount(List<SynthAnnotation> objects) {
        return objects.size() + (objects.size() == 1 ? " object" : " objects");
    }

    private List<Long> seedList() {
        List<Long> list = new ArrayList<>();
        for (long s = seed; s < seed + seeds; s++) {
            list.add(s);
        }
        return list;
    }

    private static String names(List<CompareModel> chosen) {
        return String.join(", ", chosen.stream().map(CompareModel::name).toList());
    }

    private String commandLine() {
        return "captioner " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String number(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            throw usage(problem);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
