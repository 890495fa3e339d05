package dev.captioner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.metrics.grounding.ObjectMention;
import dev.captioner.pipeline.compare.CompareModel;
import dev.captioner.pipeline.compare.CompareSettings;
import dev.captioner.pipeline.compare.RunResult;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job of the command line from Java, without Picocli, as a service or a batch job would run them:
 * extract features, train a tiny model, evaluate it, caption with an ensemble of two, and compare two
 * models. Tiny sizes (24 scenes of 64 pixels, a random-weight ResNet-18, 16-unit decoders).
 */
class LibraryJobsTest {
    private static final String ENCODER = "resnet18@64";

    @TempDir
    static Path data;

    static KarpathySplit split;
    static Vocabulary vocabulary;
    static Path cacheDir;

    @BeforeAll
    static void scenesAndTheirFeatures() throws IOException {
        SynthScenes.builder().setImages(24).optSize(64).optSeed(13).build().write(data, done -> { });
        split = KarpathySplit.read(DatasetInput.splitFile(data));
        vocabulary = DatasetInput.trainingVocabulary(split, 1);
        cacheDir = data.resolve("features");
        FeatureExtraction.Summary filled = new FeatureExtraction(EncoderSpec.parse(ENCODER), null, 16, null)
                .fill("synth", FeatureExtraction.imageFiles(split.images(), data), cacheDir, ProgressListener.SILENT);
        assertEquals(24, filled.extracted());
    }

    /** Trains {@code model} for an epoch with its log and writes its package: what {@code captioner train} does, in one call. */
    private static Path train(String model, Path out) throws IOException {
        CompareModel chosen = CompareModel.parse(model).get(0);
        TrainingRun.Result result = TrainingRun.builder().setInput(DatasetInput.karpathy(DatasetInput.splitFile(data), data))
                .setFeatures(new FeatureExtraction(EncoderSpec.parse(ENCODER), null, 16, null), cacheDir).setOut(out)
                .setConfig(DecoderConfig.builder().setCell(chosen.cell()).optAttention(chosen.attention()).optEmbeddingSize(16)
                        .optHiddenSize(16).optAttentionSize(16).optDropout(0f),
                        TrainingConfig.builder().optBatchSize(32).optEpochs(1).optLearningRate(3e-3f).optCheckpointEvery(0))
                .optMinWordCount(1).build().run(ProgressListener.SILENT);
        assertTrue(result.finished(), "one epoch, then the package");
        assertEquals(result.config().decoder().vocabularySize(), vocabulary.size(), "the run built the same vocabulary");
        return result.modelPackage();
    }

    @Test
    void trainEvaluateAndCaptionWithAnEnsembleOfTwo() throws IOException {
        Path attention = train("att-lstm", data.resolve("att"));
        Path plain = train("plain-gru", data.resolve("plain"));
        assertTrue(Files.readString(data.resolve("att").resolve(TrainingLog.FILE)).lines().count() > 1, "the log has rows");

        List<KarpathyImage> test = split.split("test");
        SynthInstances objects = SynthInstances.read(data.resolve(SynthScenes.INSTANCES_FILE));
        try (Captioner captioner = Captioner.load(attention, Captioner.Options.builder().optBeamSize(2).optMaxLength(12).build())) {
            Evaluation.Result evaluated = Evaluation.builder().setImages(test, data).optInstances(objects).build()
                    .run(captioner, ProgressListener.SILENT);
            assertEquals(test.size(), evaluated.results().size());
            assertTrue(evaluated.scores().toMap().containsKey("CIDEr"), evaluated.scores().toMap().toString());
            assertNotNull(evaluated.grounding(), "an attention model on scenes with boxes is measured for grounding");
        }

        try (Captioner captioner = Captioner.load(plain, Captioner.Options.builder().optMaxLength(12).build())) {
            Evaluation.Result evaluated = Evaluation.builder().setImages(test, data).optInstances(objects).build()
                    .run(captioner, ProgressListener.SILENT);
            assertNull(evaluated.grounding(), "a plain model has no maps to ground");
            long mentions = evaluated.results().stream()
                    .mapToLong(r -> ObjectMention.find(List.of(r.caption().split(" "))).size()).sum();
            assertEquals(mentions, evaluated.hallucinations().mentions(), "but its words are checked against the boxes");
        }

        List<Path> files = test.stream().map(image -> data.resolve(image.relativePath())).toList();
        try (Captioner both = Captioner.load(List.of(attention, plain), Captioner.Options.builder().optMaxLength(12).build())) {
            List<CaptionResult> captions = both.caption(files);
            assertEquals(files.size(), captions.size());
            for (CaptionResult caption : captions) {
                assertEquals(caption.words().size(), caption.attention().size(), "the attending member's maps: " + caption.text());
            }
            Evaluation.Result evaluated = Evaluation.builder().setImages(test, data).build().run(both, ProgressListener.SILENT);
            assertEquals(test.size(), evaluated.results().size());
        }
    }

    /** A comparison of {@code models} with seed 0 for {@code steps} steps into {@code out}, tiny sizes. */
    private static Comparison comparison(Path out, String models, long steps) throws IOException {
        return Comparison.builder().setData(DatasetInput.splitFile(data), data)
                .setFeatures(new FeatureExtraction(EncoderSpec.parse(ENCODER), null, 16, null), cacheDir).setOut(out)
                .setModels(CompareModel.parse(models)).optSeeds(0, 1).optSteps(steps).optReportImages(2)
                .setSettings(CompareSettings.builder().optVocabulary(1, 16).optDecoderSizes(16, 16, 16).optDropout(0.3f)
                        .optOptimizer(32, 3e-3f, 1f, 1, 5f).optScheduledSampling("teacher-forcing", SamplingMode.ARGMAX)
                        .optValidation(2, "last").optSearch(2, 12))
                .build();
    }

    @Test
    void compareTwoModelsOnTheSameFeaturesAndStepsAndReport() throws IOException {
        Path out = data.resolve("compare");
        Comparison comparison = comparison(out, "att-lstm,plain-lstm", 4);
        try (Comparison.Plan plan = comparison.plan(ProgressListener.SILENT)) {
            assertEquals(4, plan.settings().steps());
            assertEquals(2, plan.pendingRuns().size());
            plan.train(false, ProgressListener.SILENT);
            assertTrue(plan.pendingRuns().isEmpty(), "both runs are done");
            Comparison.Report report = plan.report();
            assertEquals(List.of("att-lstm", "plain-lstm"), report.results().stream().map(RunResult::model).toList());
            assertTrue(Files.exists(report.written().report()), "the HTML report");
            assertTrue(Files.readString(report.written().results()).contains("att-lstm"), "the tables name the models");
        }
        assertEquals(4, CompareSettings.read(out).steps(), "the settings are saved for a rerun");
    }

    /**
     * A run cut short after its first epoch (here by an exception from the progress bar, as a killed process
     * would stop) continues from the checkpoint of that epoch's end when the comparison is run again, and
     * ends as the uninterrupted run does: the same log, step by step, and the same test captions.
     */
    @Test
    void aRunCutShortContinuesFromItsLastEpochAndEndsAsAnUninterruptedOne() throws IOException {
        long steps = 10; // the 24 scenes give 4 steps an epoch at 32 captions
        Path whole = data.resolve("compare-whole");
        try (Comparison.Plan plan = comparison(whole, "att-lstm", steps).plan(ProgressListener.SILENT)) {
            plan.train(false, ProgressListener.SILENT);
        }

        Path cut = data.resolve("compare-cut");
        class Stop extends RuntimeException { }
        ProgressListener stopAtStep6 = (task, total, done, unit) -> new ProgressListener.Task() {
            @Override
            public void stepBy(long units) { }

            @Override
            public void stepTo(long units) {
                if (units == 6) {
                    throw new Stop();
                }
            }

            @Override
            public void close() { }
        };
        try (Comparison.Plan plan = comparison(cut, "att-lstm", steps).plan(ProgressListener.SILENT)) {
            assertThrows(Stop.class, () -> plan.train(false, stopAtStep6));
            assertEquals(1, plan.pendingRuns().size(), "cut short: no result");
        }
        Path run = Comparison.runDir(cut, CompareModel.parse("att-lstm").get(0), 0);
        assertTrue(Files.readString(run.resolve(TrainingLog.FILE)).contains("\n6,"), "it had trained past its checkpoint");

        List<String> notes = new ArrayList<>();
        List<Long> bar = new ArrayList<>(); // the total, then every position
        ProgressListener noting = new ProgressListener() {
            @Override
            public Task start(String task, long total, long done, String unit) {
                bar.add(total);
                return new Task() {
                    @Override
                    public void stepBy(long units) { }

                    @Override
                    public void stepTo(long units) {
                        bar.add(units);
                    }

                    @Override
                    public void close() { }
                };
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        };
        try (Comparison.Plan plan = comparison(cut, "att-lstm", steps).plan(ProgressListener.SILENT)) {
            plan.train(false, noting);
            assertTrue(plan.pendingRuns().isEmpty());
        }
        assertTrue(notes.stream().anyMatch(line -> line.startsWith("att-lstm seed 0: resuming at step 4 of 10")), notes.toString());
        assertEquals(List.of(6L, 0L, 6L), List.of(bar.get(0), bar.get(1), bar.get(bar.size() - 1)),
                "the bar counts the 6 steps left, from 0: " + bar);
        Path uncut = Comparison.runDir(whole, CompareModel.parse("att-lstm").get(0), 0);
        assertEquals(Files.readString(uncut.resolve(TrainingLog.FILE)), Files.readString(run.resolve(TrainingLog.FILE)),
                "every step's loss and every validation as without the cut");
        assertEquals(Files.readString(uncut.resolve("results_test.json")), Files.readString(run.resolve("results_test.json")));
    }
}
