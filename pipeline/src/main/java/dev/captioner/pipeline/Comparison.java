package dev.captioner.pipeline;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.metrics.grounding.GridCeiling;
import dev.captioner.metrics.grounding.GridRegion;
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
import dev.captioner.pipeline.report.ReportCaption;
import dev.captioner.pipeline.report.ReportImage;
import dev.captioner.pipeline.report.TrainingHistory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The whole of {@code captioner compare} as a job: the grid of {@link CompareModel}s trained on the same cached
 * features, splits, seeds and number of steps, each run evaluated on the test split, then the tables, charts and
 * HTML report of {@link CompareReport}.
 *
 * <p><b>Budget.</b> Every run takes the same number of training steps S: given, or worked out from a wall-clock
 * budget (calibration and report included) by timing a few steps, a validation and a test evaluation of each model
 * ({@link Calibration}, {@link StepBudget}). S is saved in {@code OUT/compare.json}; a rerun into the same folder
 * reuses it, refuses other settings and skips the runs that are done.
 *
 * <p><b>In steps.</b> {@link #plan} fills the feature cache, reads the data and fixes S; the returned {@link Plan}
 * trains the runs ({@link Plan#train}), as one process or as one of several workers that claim runs, and writes
 * the report ({@link Plan#report}). Running the workers as processes is the caller's business.
 */
public final class Comparison {
    /** Test images the HTML report shows by default. */
    public static final int REPORT_IMAGES = 12;
    /** The folder of run claims, one file a run, made atomically by the worker that takes it. */
    public static final String CLAIMS = "claims";

    private final Path splitFile;
    private final Path imageRoot;
    private final Path instancesFile;
    private final SplitSizes sizes;
    private final FeatureExtraction features;
    private final Path cacheDir;
    private final Path out;
    private final List<CompareModel> models;
    private final long firstSeed;
    private final int seeds;
    private final CompareSettings.Builder settings;
    private final Long steps;
    private final double budgetMinutes;
    private final int jobs;
    private final int reportImages;
    private final String command;

    private Comparison(Builder b) {
        this.splitFile = b.splitFile;
        this.imageRoot = b.imageRoot != null ? b.imageRoot : b.splitFile.toAbsolutePath().getParent();
        this.instancesFile = b.instancesFile != null ? b.instancesFile
                : b.splitFile.toAbsolutePath().getParent().resolve(SynthScenes.INSTANCES_FILE);
        this.sizes = b.sizes;
        this.features = b.features;
        this.cacheDir = b.cacheDir;
        this.out = b.out;
        this.models = List.copyOf(b.models);
        this.firstSeed = b.firstSeed;
        this.seeds = b.seeds;
        this.settings = b.settings;
        this.steps = b.steps;
        this.budgetMinutes = b.budgetMinutes;
        this.jobs = b.jobs;
        this.reportImages = b.reportImages;
        this.command = b.command;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The run folder of one model and seed: {@code OUT/runs/MODEL/seed-S}. */
    public static Path runDir(Path out, CompareModel model, long seed) {
        return out.resolve("runs").resolve(model.name()).resolve("seed-" + seed);
    }

    /**
     * Claims a run for this process: false when another worker has. A claim is a file in {@code OUT/claims/},
     * created atomically, so the workers share one list of runs.
     */
    public static boolean claim(Path out, Path runDir) throws IOException {
        Path file = claimFile(out, runDir);
        Files.createDirectories(file.getParent());
        try {
            Files.writeString(Files.createFile(file), ProcessHandle.current().pid() + "\n");
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Whether some worker has claimed the run in {@code runDir}. */
    static boolean claimedBySomeone(Path out, Path runDir) {
        return Files.exists(claimFile(out, runDir));
    }

    private static Path claimFile(Path out, Path runDir) {
        String name = out.resolve("runs").relativize(runDir).toString().replace('/', '-').replace('\\', '-');
        return out.resolve(CLAIMS).resolve(name);
    }

    /**
     * The steps one of {@code workers} workers can expect to train: those of the runs it has taken ({@code taken}),
     * and an equal share, rounded up, of the steps of the runs no worker has taken yet ({@code untaken}).
     */
    static long workerShare(long taken, long untaken, int workers) {
        return taken + (untaken + workers - 1) / workers;
    }

    /**
     * Fills the feature cache with the images it lacks, reads the splits and objects, and fixes the steps of every
     * run: the given steps, else those recorded in {@code OUT}, else the budget's (calibrating each model). Reports
     * what it decides as notes. The plan holds the feature cache open: close it.
     *
     * @throws IllegalArgumentException where {@code OUT} holds a comparison made with other settings
     */
    public Plan plan(ProgressListener listener) throws IOException {
        long started = System.nanoTime();
        KarpathySplit split = sizes.apply(KarpathySplit.read(splitFile));
        SynthInstances instances = SynthInstances.read(instancesFile);
        List<KarpathyImage> test = split.split("test");
        requireImages(split, test);
        ImagePreprocessor preprocessor;
        try (FeatureExtractor extractor = FeatureExtractor.load(features.encoder(), features.device())) {
            FeatureExtraction.Summary filled = features.fill(extractor, splitFile.toString(),
                    FeatureExtraction.imageFiles(split.images(), imageRoot), cacheDir, listener);
            preprocessor = extractor.preprocessor();
            if (filled.failed() > 0) {
                throw new DataFormatException(splitFile, filled.failed() + " images could not be read (see above); every run must"
                        + " see the same images");
            }
        }
        Map<Long, CropRegion> crops = crops(test, instances, preprocessor);
        FeatureCache cache = FeatureCache.open(cacheDir);
        try {
            CaptionData.WordRegions lookAt = GroundedCaptions.of(instances, preprocessor, cache.layout().gridHeight(),
                    cache.layout().gridWidth());
            return new Plan(started, split, instances.annotationsByImage(), crops, cache, lookAt, listener);
        } catch (IOException | RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    /** The comparison once its steps are fixed: train the runs, then report. Closing it closes the feature cache. */
    public final class Plan implements AutoCloseable {
        private final long started;
        private final KarpathySplit split;
        private final FeatureCache cache;
        private final Map<Long, CropRegion> crops;
        private final Map<String, Object> facts = new LinkedHashMap<>();
        private final ComparisonRun runner;

        private Plan(long started, KarpathySplit split, Map<Long, List<SynthAnnotation>> objects, Map<Long, CropRegion> crops,
                FeatureCache cache, CaptionData.WordRegions lookAt, ProgressListener listener) throws IOException {
            this.started = started;
            this.split = split;
            this.cache = cache;
            this.crops = crops;
            List<KarpathyImage> test = split.split("test");
            Map<Long, GridRegion> regions = new LinkedHashMap<>();
            crops.forEach((id, crop) -> regions.put(id, new GridRegion(crop.x(), crop.y(), crop.width(), crop.height())));
            settings.setData(splitFile, cache.layout().encoder()).optSizes(sizes);
            CompareSettings base = settings.build();
            Vocabulary vocabulary = DatasetInput.trainingVocabulary(split, base.minWordCount());
            CaptionData data = CaptionData.of(split, vocabulary, base.maxWords(), base.attentionSupervision() > 0 ? lookAt : null);
            if (base.attentionSupervision() > 0) {
                listener.note("supervised attention (weight " + base.attentionSupervision() + ") for the attention models: "
                        + GroundedCaptions.summary(data));
            }
            ComparisonRun unplanned = new ComparisonRun(base, vocabulary, data, cache, test, objects, regions, features.device());
            listener.note(String.format(Locale.ROOT, "comparing %s with seeds %s: %,d training captions of %d images (%d steps an epoch"
                    + " at %d), %d validation images, %d test images", names(), seedList(), data.train().size(),
                    split.split("train").size(), unplanned.stepsPerEpoch(), base.batchSize(), data.validationImages().size(),
                    test.size()));
            CompareSettings planned = fixSteps(unplanned, listener);
            this.runner = new ComparisonRun(planned, vocabulary, data, cache, test, objects, regions, features.device());
        }

        /** The settings every run trains with, the steps included. */
        public CompareSettings settings() {
            return runner.settings();
        }

        /** The run folders without a result, models then seeds. */
        public List<Path> pendingRuns() {
            List<Path> pending = new ArrayList<>();
            for (CompareModel model : models) {
                for (long s = firstSeed; s < firstSeed + seeds; s++) {
                    if (!RunResult.exists(runDir(out, model, s))) {
                        pending.add(runDir(out, model, s));
                    }
                }
            }
            return pending;
        }

        /**
         * Saves the settings in {@code OUT}, then trains and evaluates every run that has no result yet, with one
         * progress task over all their steps. A worker ({@code claimed}) trains only the runs it {@link #claim}s.
         */
        public void train(boolean claimed, ProgressListener listener) throws IOException {
            Files.createDirectories(out);
            settings().write(out);
            List<CompareModel> pendingModels = new ArrayList<>();
            List<Long> pendingSeeds = new ArrayList<>();
            for (CompareModel model : models) {
                for (long s = firstSeed; s < firstSeed + seeds; s++) {
                    Path dir = runDir(out, model, s);
                    if (RunResult.exists(dir)) {
                        listener.note(String.format(Locale.ROOT, "%s seed %d: done before (%s); skipped", model.name(), s,
                                dir.resolve(RunResult.FILE)));
                    } else {
                        pendingModels.add(model);
                        pendingSeeds.add(s);
                    }
                }
            }
            if (pendingModels.isEmpty()) {
                return;
            }
            // One bar over the steps this invocation has left to train: a resumed run counts from its checkpoint.
            // A worker's bar counts the runs it has taken and its share of the runs no worker has taken yet, so its
            // rate and ETA are its own; the share is worked out again at each run it takes.
            long[] left = new long[pendingModels.size()];
            Path[] dirs = new Path[left.length];
            long total = 0;
            for (int i = 0; i < left.length; i++) {
                dirs[i] = runDir(out, pendingModels.get(i), pendingSeeds.get(i));
                left[i] = settings().steps() - runner.resumableStep(pendingModels.get(i), pendingSeeds.get(i), dirs[i]);
                total += left[i];
            }
            try (ProgressListener.Task bar = listener.start("compare", claimed ? workerShare(0, total, jobs) : total, 0, "step")) {
                long offset = 0;
                for (int i = 0; i < left.length; i++) {
                    if (claimed) {
                        if (!claim(out, dirs[i])) {
                            continue; // another worker has it
                        }
                        long untaken = 0;
                        for (int j = i + 1; j < left.length; j++) {
                            untaken += claimedBySomeone(out, dirs[j]) ? 0 : left[j];
                        }
                        bar.resize(workerShare(offset + left[i], untaken, jobs));
                    }
                    long from = settings().steps() - left[i];
                    runner.run(pendingModels.get(i), pendingSeeds.get(i), dirs[i], bar, offset - from, listener);
                    offset += left[i];
                }
            }
        }

        /** Writes the report of every run (all must be done): tables, summary, charts and the HTML page with sample images. */
        public Report report() throws IOException {
            List<RunResult> results = new ArrayList<>();
            for (CompareModel model : models) {
                for (long s = firstSeed; s < firstSeed + seeds; s++) {
                    results.add(RunResult.read(runDir(out, model, s)));
                }
            }
            CompareReport.Builder report = CompareReport.builder().setCommand(command).setSettings(settings())
                    .optTitle("Attention vs plain, LSTM vs GRU, scheduled sampling: " + split.dataset());
            for (RunResult result : results) {
                CompareModel model = models.stream().filter(m -> m.name().equals(result.model())).findFirst().orElseThrow();
                report.addRun(result, TrainingHistory.read(runDir(out, model, result.seed())), model.attention());
            }
            List<KarpathyImage> sample = sample(runner.test(), runner.objects());
            report.optImages(sample.stream().map(image -> new ReportImage(image.id(), imageRoot.resolve(image.relativePath()),
                    image.sentences().stream().map(KarpathySentence::raw).toList(), objectCount(runner.objects().get(image.id()))))
                    .toList());
            for (CompareModel model : models) {
                report.optCaptions(model.name(), sampleCaptions(model, sample));
            }
            notes(report);
            facts.put("models", models.stream().map(CompareModel::name).toList());
            facts.put("seeds", seedList());
            facts.put("elapsed_seconds", Math.round(seconds()));
            facts.forEach(report::optFact);
            CompareReport built = report.build();
            return new Report(built, built.write(out), results);
        }

        /** Seconds since {@link #plan} began. */
        public double seconds() {
            return (System.nanoTime() - started) / 1e9;
        }

        @Override
        public void close() throws IOException {
            cache.close();
        }

        /** The step count (given, recorded, or from the budget) and the settings that go with it. */
        private CompareSettings fixSteps(ComparisonRun unplanned, ProgressListener listener) throws IOException {
            CompareSettings recorded = CompareSettings.read(out);
            long planned;
            if (steps != null) {
                planned = steps;
                facts.put("steps_from", "--steps");
            } else if (recorded != null) {
                planned = recorded.steps();
                facts.put("steps_from", "recorded in " + out.resolve(CompareSettings.FILE));
                listener.note(String.format(Locale.ROOT, "continuing the comparison in %s: %d steps a run, as recorded there", out, planned));
            } else {
                planned = calibrate(unplanned, listener);
            }
            CompareSettings fixed = settings.optSteps(planned).build();
            if (recorded != null) {
                List<String> differences = RecordDifferences.between(recorded, fixed);
                if (!differences.isEmpty()) {
                    throw new IllegalArgumentException(out + " holds a comparison made with other settings (" + String.join("; ", differences)
                            + "); give the same options to continue it, or use another output folder");
                }
            }
            facts.put("steps", planned);
            listener.note(String.format(Locale.ROOT, "every run: %d steps (%.2f epochs), validated after steps %s and at epoch ends; %s"
                    + " checkpoint evaluated%s; repeat with --steps %d", planned, (double) planned / unplanned.stepsPerEpoch(),
                    fixed.validationSteps(), fixed.checkpoint(), models.stream().anyMatch(m -> m.feeding() == CompareModel.Feeding.SCHEDULED_SAMPLING)
                            ? "; scheduled sampling: " + fixed.scheduledSampling() : "", planned));
            return fixed;
        }

        /** Times each model and turns the budget into steps. */
        private long calibrate(ComparisonRun unplanned, ProgressListener listener) throws IOException {
            long trial = Calibration.WARMUP_STEPS + Calibration.TIMED_STEPS;
            List<StepBudget.ModelCost> costs = new ArrayList<>();
            Map<String, StepBudget.ModelCost> byModel = new LinkedHashMap<>();
            List<Long> testIds = unplanned.test().stream().map(KarpathyImage::id).toList();
            Path scratch = out.toAbsolutePath().normalize().resolveSibling(out.getFileName() + ".calibration");
            CompareSettings trialSettings = unplanned.settings().withSteps(trial, "constant:eps=0.5"); // att-lstm-ss at ε = 1/2
            for (CompareModel model : models) {
                StepBudget.ModelCost cost = Calibration.measure(trialSettings.training(model, firstSeed, unplanned.vocabulary().size(),
                        cache.layout().channels(), unplanned.stepsPerEpoch(), trial), unplanned.vocabulary(), split, testIds, cache,
                        unplanned.search(), scratch);
                costs.add(cost);
                byModel.put(model.name(), cost);
                listener.note(String.format(Locale.ROOT, "calibration %s: %.0f ms a step, %.1f s a validation, %.1f s the test evaluation",
                        model.name(), cost.stepSeconds() * 1000, cost.validationSeconds(), cost.testSeconds()));
            }
            StepBudget.Plan shape = new StepBudget.Plan(seeds, unplanned.settings().validations(), unplanned.stepsPerEpoch());
            // With N workers the runs take about 1/N of the time they would one after another (each was timed on one thread).
            double spent = seconds();
            double budgetSeconds = jobs == 1 ? budgetMinutes * 60
                    : spent + StepBudget.REPORT_SECONDS + jobs * (budgetMinutes * 60 - spent - StepBudget.REPORT_SECONDS);
            long planned = StepBudget.steps(budgetSeconds, spent, costs, shape);
            if (planned < 1) {
                throw new IllegalStateException(String.format(Locale.ROOT, "a budget of %s minutes fits no training step: %d runs need"
                        + " %.0f s for validations and test evaluations alone (calibration: see above); give a larger budget, or"
                        + " the steps", number(budgetMinutes), models.size() * seeds, StepBudget.seconds(0, costs, shape)));
            }
            double predicted = StepBudget.seconds(planned, costs, shape) / jobs;
            listener.note(String.format(Locale.ROOT, "budget %s minutes: %d steps a run, predicted %.1f minutes for %d runs (calibration"
                    + " took %.0f s)", number(budgetMinutes), planned, predicted / 60, models.size() * seeds, seconds()));
            facts.put("steps_from", "--budget " + number(budgetMinutes) + " (calibration)");
            facts.put("calibration", byModel);
            facts.put("predicted_seconds", Math.round(predicted));
            return planned;
        }

        /** The report's images: by turns from the test images with 1, 2, 3, 4 ... objects, each group in the split's order. */
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
        private Map<Long, ReportCaption> sampleCaptions(CompareModel model, List<KarpathyImage> sample) throws IOException {
            Path dir = runDir(out, model, firstSeed);
            Path snapshot = dir.resolve(RunResult.read(dir).snapshot());
            Map<Long, ReportCaption> captions = new LinkedHashMap<>();
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<Long, Caption> found = new FeatureCaptioner(SnapshotDecoder.load(snapshot, manager),
                        Checkpoint.readSnapshot(snapshot).vocabulary(), runner.search()).caption(cache,
                        sample.stream().map(KarpathyImage::id).toList());
                found.forEach((id, caption) -> captions.put(id, new ReportCaption(caption, model.attention() ? crops.get(id) : null)));
            }
            return captions;
        }

        private void notes(CompareReport.Builder report) {
            CompareSettings s = settings();
            CaptionData data = runner.data();
            report.optNote(String.format(Locale.ROOT, "Models %s, seeds %s; each run trains %d steps of %d captions (%.2f epochs of %,d"
                    + " training captions); E, H, A = %d, %d, %d; Adam, lr %s.", names(), seedList(), s.steps(), s.batchSize(),
                    (double) s.steps() / runner.stepsPerEpoch(), data.train().size(), s.embeddingSize(), s.hiddenSize(),
                    s.attentionSize(), number(s.learningRate())));
            report.optNote("Validation (CIDEr-D of " + (s.validationBeam() == 1 ? "greedy captions" : "beam search K = " + s.validationBeam())
                    + " on " + data.validationImages().size() + " images) after steps " + s.validationSteps()
                    + " and at epoch ends; the test split (" + runner.test().size() + " images) is captioned with the "
                    + (s.checkpoint().equals("best") ? "best validation's parameters" : "final parameters")
                    + (s.weightAverage() > 0 ? " (validated, kept and tested: the weights' moving average, decay " + number(s.weightAverage()) + ")" : "")
                    + ", "
                    + (s.beam() == 1 ? "greedy search" : "beam search K = " + s.beam()) + ".");
            List<String> feeding = new ArrayList<>();
            for (CompareModel model : models) {
                switch (model.feeding()) {
                    case SCHEDULED_SAMPLING -> feeding.add(model.name() + ": scheduled sampling, " + s.scheduledSampling()
                            + " (ε, the probability of feeding the ground truth, by step)");
                    case ALWAYS_SAMPLE -> feeding.add(model.name() + ": always the sampled word");
                    default -> { }
                }
            }
            feeding.add(feeding.isEmpty() ? "every model trains with teacher forcing" : "the others: teacher forcing");
            report.optNote(String.join("; ", feeding) + ".");
            if (models.stream().anyMatch(CompareModel::attention)) {
                report.optNote("Grounding: the share of object-naming words whose attention peak falls inside a named object's box;"
                        + " hallucination rate (every model): the share that fit no object of the image (docs/report.md).");
                GridCeiling ceiling = new GridCeiling();
                int rows = cache.layout().gridHeight();
                int cols = cache.layout().gridWidth();
                runner.test().forEach(image -> ceiling.add(runner.objects().get(image.id()), runner.regions().get(image.id()), rows, cols));
                report.optNote(String.format(Locale.ROOT, "The %d x %d grid's ceiling, the share of test objects whose box holds a cell"
                        + " centre (the most grounding can reach): %.3f overall, %.3f for small objects, %.3f for large ones.", rows, cols,
                        ceiling.ceiling(), ceiling.ceiling(ObjectSize.SMALL), ceiling.ceiling(ObjectSize.LARGE)));
            }
            report.optNote("The sample images show the first seed's captions.");
        }
    }

    /**
     * A written report.
     *
     * @param report  the tables, charts and notes
     * @param written where its files went
     * @param results every run's result, models then seeds
     */
    public record Report(CompareReport report, CompareReport.Written written, List<RunResult> results) {}

    /** Where the encoder's grid lies in each test image ({@code instances.json} has the image sizes). */
    private Map<Long, CropRegion> crops(List<KarpathyImage> test, SynthInstances instances, ImagePreprocessor preprocessor)
            throws DataFormatException {
        Map<Long, CocoImage> imageSizes = new LinkedHashMap<>();
        instances.images().forEach(image -> imageSizes.put(image.id(), image));
        Map<Long, CropRegion> crops = new LinkedHashMap<>();
        for (KarpathyImage image : test) {
            CocoImage size = imageSizes.get(image.id());
            if (size == null) {
                throw new DataFormatException(instancesFile, "test image " + image.id() + " (" + image.relativePath()
                        + ") has no entry; compare needs the objects of every test image");
            }
            crops.put(image.id(), preprocessor.cropRegion(size.width(), size.height()));
        }
        return crops;
    }

    private void requireImages(KarpathySplit split, List<KarpathyImage> test) throws DataFormatException {
        for (String name : List.of("train", "val")) {
            if (split.split(name).isEmpty()) {
                throw new DataFormatException(splitFile, "no " + name + " images: compare trains on train, validates on val and tests on test");
            }
        }
        if (test.isEmpty()) {
            throw new DataFormatException(splitFile, "no test images: compare trains on train, validates on val and tests on test");
        }
    }

    private List<Long> seedList() {
        List<Long> list = new ArrayList<>();
        for (long s = firstSeed; s < firstSeed + seeds; s++) {
            list.add(s);
        }
        return list;
    }

    private String names() {
        return String.join(", ", models.stream().map(CompareModel::name).toList());
    }

    private static String objectCount(List<SynthAnnotation> objects) {
        return objects.size() + (objects.size() == 1 ? " object" : " objects");
    }

    private static String number(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Builds a {@link Comparison}: the data, features, output folder, models and settings are required. */
    public static final class Builder {
        private Path splitFile;
        private Path imageRoot;
        private Path instancesFile;
        private SplitSizes sizes = new SplitSizes(null, null, null);
        private FeatureExtraction features;
        private Path cacheDir;
        private Path out;
        private List<CompareModel> models;
        private long firstSeed;
        private int seeds = 3;
        private CompareSettings.Builder settings;
        private Long steps;
        private double budgetMinutes = 50;
        private int jobs = 1;
        private int reportImages = REPORT_IMAGES;
        private String command = "";

        Builder() {}

        /** The Karpathy split file and the folder its image paths are relative to (null: the file's folder). */
        public Builder setData(Path splitFile, Path imageRoot) {
            this.splitFile = splitFile;
            this.imageRoot = imageRoot;
            return this;
        }

        /** The objects of each image (default: {@code instances.json} beside the split file). */
        public Builder optInstances(Path instancesFile) {
            this.instancesFile = instancesFile;
            return this;
        }

        /** The first N images of each split only (default: all); becomes part of the settings. */
        public Builder optSizes(SplitSizes sizes) {
            this.sizes = sizes;
            return this;
        }

        /** How the feature cache is filled, and where it is. */
        public Builder setFeatures(FeatureExtraction features, Path cacheDir) {
            this.features = features;
            this.cacheDir = cacheDir;
            return this;
        }

        /** The comparison's folder: runs/, charts/, report/, results.md, summary.json, compare.json. */
        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder setModels(List<CompareModel> models) {
            this.models = models;
            return this;
        }

        /** Seeds first, first + 1, ... (default: 0, 1, 2). */
        public Builder optSeeds(long first, int count) {
            this.firstSeed = first;
            this.seeds = count;
            return this;
        }

        /** The settings the runs share; the comparison sets the data, the encoder, the split sizes and the steps on it. */
        public Builder setSettings(CompareSettings.Builder settings) {
            this.settings = settings;
            return this;
        }

        /** Training steps of every run; without them, those recorded in the output folder, else the budget's. */
        public Builder optSteps(Long steps) {
            this.steps = steps;
            return this;
        }

        /** Wall clock for the whole comparison, in minutes (default 50), when the steps are neither given nor recorded. */
        public Builder optBudgetMinutes(double minutes) {
            this.budgetMinutes = minutes;
            return this;
        }

        /** Runs trained at once by separate workers, for the budget's arithmetic (default 1). */
        public Builder optJobs(int jobs) {
            this.jobs = jobs;
            return this;
        }

        public Builder optReportImages(int reportImages) {
            this.reportImages = reportImages;
            return this;
        }

        /** The command line that made the comparison, as the report quotes it. */
        public Builder optCommand(String command) {
            this.command = command;
            return this;
        }

        public Comparison build() {
            Objects.requireNonNull(splitFile, "setData is required");
            Objects.requireNonNull(features, "setFeatures is required");
            Objects.requireNonNull(out, "setOut is required");
            Objects.requireNonNull(settings, "setSettings is required");
            if (models == null || models.isEmpty()) {
                throw new IllegalStateException("setModels needs at least one model");
            }
            if (seeds < 1 || jobs < 1 || reportImages < 0 || !(budgetMinutes > 0)) {
                throw new IllegalStateException("seeds and jobs must be at least 1, report images at least 0, the budget positive");
            }
            return new Comparison(this);
        }
    }
}
