package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.pipeline.CachedFeatures;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.model.FeatureCaptioner;
import dev.captioner.pipeline.model.SnapshotDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real training on real synth-scenes features from a real (random-weight) ResNet-18. */
class CaptionTrainerTest {
    @TempDir
    static Path data;

    static KarpathySplit split;
    static Vocabulary vocabulary;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeDataAndFeatures() throws IOException {
        SynthScenes.builder().setImages(30).optSize(64).optSeed(21).build().write(data, done -> { });
        split = KarpathySplit.read(data.resolve(SynthScenes.KARPATHY_FILE));
        List<List<String>> tokens = new ArrayList<>();
        for (KarpathyImage image : split.split("train")) {
            for (KarpathySentence sentence : image.sentences()) {
                tokens.add(sentence.tokens());
            }
        }
        vocabulary = Vocabulary.build(tokens, 1);
        try (FeatureExtractor extractor = FeatureExtractor.load(EncoderSpec.parse("resnet18@64"));
                FeatureCache cache = FeatureCache.create(data.resolve("cache"), CacheLayout.builder().setGrid(2, 2)
                        .setChannels(512).setEncoder(extractor.identity()).build());
                NDManager manager = NDManager.newBaseManager()) {
            List<Path> files = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (KarpathyImage image : split.images()) {
                files.add(data.resolve(image.relativePath()));
                ids.add(image.id());
            }
            FeatureExtractor.Extraction extraction = extractor.extract(files, manager);
            cache.putAll(ids, extraction.features().grid(), extraction.features().pooled());
        }
    }

    private static TrainingConfig config(String sampling, int epochs) {
        return config(sampling, epochs, false);
    }

    private static TrainingConfig config(String sampling, int epochs, boolean onPlateau) {
        DecoderConfig decoder = new DecoderConfig(CellType.LSTM, true, vocabulary.size(), 16, 32, 16, 512, 1, 0.3f, true, false);
        return new TrainingConfig(decoder, 16, epochs, 3e-3f, onPlateau ? 0.5f : 0.8f, 1, 5f, 1f, sampling, SamplingMode.SAMPLE, 0, 5, 16,
                42, onPlateau);
    }

    private static final class Recorder implements CaptionTrainer.Listener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> epsilons = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();
        final List<Map<String, Double>> validations = new ArrayList<>();

        @Override
        public void step(long step, int epoch, double loss, double teacherForcing, double learningRate) {
            losses.add(loss);
            epsilons.add(teacherForcing);
            rates.add(learningRate);
        }

        @Override
        public void validated(long step, int epoch, Map<String, Double> scores) {
            validations.add(scores);
        }
    }

    /** A run trained to its end, uninterrupted, in {@code checkpoints}; what it reported. */
    private static Recorder trainToTheEnd(TrainingConfig config, CaptionData captions, Path checkpoints) throws IOException {
        Recorder recorder = new Recorder();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache"));
                CaptionTrainer trainer = CaptionTrainer.start(config, vocabulary, captions, CachedFeatures.of(cache), checkpoints)) {
            assertTrue(trainer.train(recorder, Long.MAX_VALUE));
        }
        return recorder;
    }

    /** A run started in {@code folder}, stopped after {@code stopAfter} steps with a checkpoint, then resumed to its end: what each part reported. */
    private static Recorder[] stopAndResume(TrainingConfig config, CaptionData captions, Path folder, long stopAfter) throws IOException {
        Recorder first = new Recorder();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache"));
                CaptionTrainer trainer = CaptionTrainer.start(config, vocabulary, captions, CachedFeatures.of(cache), folder)) {
            assertFalse(trainer.train(first, stopAfter));
            trainer.saveCheckpoint();
        }
        Recorder rest = new Recorder();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache"));
                CaptionTrainer trainer = CaptionTrainer.resume(folder, captions, CachedFeatures.of(cache))) {
            assertEquals(stopAfter, trainer.step());
            assertTrue(trainer.train(rest, Long.MAX_VALUE));
        }
        return new Recorder[] {first, rest};
    }

    @Test
    void resumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig config = config("inverse-sigmoid:k=4", 2);
        Recorder whole = trainToTheEnd(config, captions, dir.resolve("a"));
        assertEquals(2, whole.validations.size(), "validated after each epoch");
        assertTrue(whole.epsilons.get(whole.epsilons.size() - 1) < whole.epsilons.get(0), "scheduled sampling decays");

        // mid-way through the second epoch: 120 captions / 16 = 8 steps an epoch
        Recorder[] parts = stopAndResume(config, captions, dir.resolve("b"), 11);
        Recorder first = parts[0];
        Recorder rest = parts[1];
        List<Double> joined = new ArrayList<>(first.losses);
        joined.addAll(rest.losses);
        assertEquals(whole.losses.size(), joined.size());
        for (int i = 0; i < joined.size(); i++) {
            assertEquals(whole.losses.get(i), joined.get(i), 1e-6, "loss of step " + (i + 1));
        }
        assertEquals(whole.validations.get(1).get("CIDEr"), rest.validations.get(rest.validations.size() - 1).get("CIDEr"), 1e-9);
    }

    /**
     * Reduce on plateau (patience 1, factor 0.5): the rate of each epoch follows the validation scores,
     * and a run resumed mid-way (after two validations) keeps the schedule's state and repeats the losses.
     */
    @Test
    void plateauDecayFollowsValidationAndSurvivesResume() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig config = config("teacher-forcing", 5, true);
        Recorder whole = trainToTheEnd(config, captions, dir.resolve("a"));
        int perEpoch = whole.rates.size() / 5;
        double rate = 3e-3;
        double best = Double.NEGATIVE_INFINITY;
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(rate, whole.rates.get(epoch * perEpoch), 1e-9, "rate of epoch " + (epoch + 1));
            double cider = whole.validations.get(epoch).get("CIDEr");
            if (cider > best) {
                best = cider;
            } else {
                rate *= 0.5;
            }
        }
        Recorder[] parts = stopAndResume(config, captions, dir.resolve("b"), 2L * perEpoch + 3);
        Recorder first = parts[0];
        Recorder rest = parts[1];
        List<Double> rates = new ArrayList<>(first.rates);
        rates.addAll(rest.rates);
        assertEquals(whole.rates, rates, "the same rate at every step");
        List<Double> losses = new ArrayList<>(first.losses);
        losses.addAll(rest.losses);
        for (int i = 0; i < losses.size(); i++) {
            assertEquals(whole.losses.get(i), losses.get(i), 1e-6, "loss of step " + (i + 1));
        }
    }

    /**
     * Validations between epoch ends: the listener hears them at their step, the best of them (epoch ends
     * included) is the best checkpoint, and they change neither the steps taken nor the rates.
     */
    @Test
    void validateNowKeepsTheBestOfEveryValidation() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig config = config("teacher-forcing", 1);
        Recorder plain = trainToTheEnd(config, captions, dir.resolve("a"));
        Recorder sliced = new Recorder();
        List<Long> validatedAt = new ArrayList<>();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache"));
                CaptionTrainer trainer = CaptionTrainer.start(config, vocabulary, captions, CachedFeatures.of(cache), dir.resolve("b"))) {
            assertFalse(trainer.train(sliced, 3));
            Map<String, Double> mid = trainer.validateNow(sliced);
            validatedAt.add(trainer.step());
            assertEquals(6, mid.size(), "the six COCO metrics");
            assertTrue(Files.isDirectory(dir.resolve("b").resolve("best")), "the first validation is the best so far");
            assertTrue(trainer.train(sliced, Long.MAX_VALUE));
            validatedAt.add(trainer.step());
            trainer.saveCheckpoint();
        }
        assertEquals(plain.losses, sliced.losses, "the same steps");
        assertEquals(plain.rates, sliced.rates, "the same rates");
        assertEquals(2, sliced.validations.size());
        assertEquals(List.of(3L, (long) plain.losses.size()), validatedAt);
        Checkpoint.Progress end = Checkpoint.read(dir.resolve("b")).progress();
        double first = sliced.validations.get(0).get("CIDEr");
        double last = sliced.validations.get(1).get("CIDEr");
        assertEquals(Math.max(first, last), end.bestScore(), 1e-12);
        assertEquals(last > first ? plain.losses.size() : 3L, end.bestStep());
    }

    /**
     * With a validation beam, validation CIDEr-D is that of the captions the test search (beam search of the
     * same K, through {@link FeatureCaptioner}) gives the best checkpoint, and not that of greedy captions.
     */
    @Test
    void aValidationBeamScoresTheCaptionsOfTheTestSearch() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig base = config("teacher-forcing", 2);
        TrainingConfig beamed = TrainingConfig.builder().setDecoder(base.decoder()).optBatchSize(16).optEpochs(6).optLearningRate(3e-3f)
                .optCheckpointEvery(5).optSeed(42).optValidationBeam(3).build();
        Recorder recorder = trainToTheEnd(beamed, captions, dir.resolve("a"));
        Path best = Checkpoint.bestSnapshot(dir.resolve("a"));
        assertEquals(3, Checkpoint.readSnapshot(best).config().validationBeam(), "saved with the checkpoint");
        double bestValidation = recorder.validations.stream().mapToDouble(v -> v.get("CIDEr")).max().orElseThrow();
        List<Long> ids = captions.validationImages();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache")); NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = SnapshotDecoder.load(best, manager);
            Map<Long, List<String>> beam = captions(decoder, cache, ids, 3);
            Map<Long, List<String>> greedy = captions(decoder, cache, ids, 1);
            assertTrue(bestValidation > 0, "a model that has learnt something: " + recorder.validations);
            assertEquals(bestValidation, CaptionEvaluation.evaluate(ids, beam, captions.validationReferences()).corpus("CIDEr"), 1e-9,
                    "the best validation is the beam's CIDEr-D of the best checkpoint");
            assertNotEquals(greedy, beam, "greedy captions differ here, so the test can tell the searches apart");
        }
    }

    /**
     * A weight average leaves training's steps as they were, is what validation scores and the best checkpoint
     * keeps (its greedy captions give the best validation CIDEr-D), and survives a resume: the resumed run repeats
     * the losses and the last validation of the uninterrupted one.
     */
    @Test
    void aWeightAverageIsValidatedKeptAsBestAndResumedExactly() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig base = config("teacher-forcing", 3);
        TrainingConfig.Builder settings = TrainingConfig.builder().setDecoder(base.decoder()).optBatchSize(16).optEpochs(3)
                .optLearningRate(3e-3f).optCheckpointEvery(5).optSeed(42);
        TrainingConfig raw = settings.build();
        TrainingConfig averaged = settings.optWeightAverage(0.9f).build();
        Recorder whole = trainToTheEnd(averaged, captions, dir.resolve("a"));
        Recorder plain = trainToTheEnd(raw, captions, dir.resolve("r"));
        assertEquals(plain.losses, whole.losses, "averaging does not change the steps taken");
        assertNotEquals(plain.validations, whole.validations, "but validation scores other weights");

        Path best = Checkpoint.bestSnapshot(dir.resolve("a"));
        assertEquals(0.9f, Checkpoint.readSnapshot(best).config().weightAverage(), "saved with the checkpoint");
        double bestValidation = whole.validations.stream().mapToDouble(v -> v.get("CIDEr")).max().orElseThrow();
        List<Long> ids = captions.validationImages();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache")); NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = SnapshotDecoder.load(best, manager);
            assertEquals(bestValidation, CaptionEvaluation.evaluate(ids, captions(decoder, cache, ids, 1), captions.validationReferences())
                    .corpus("CIDEr"), 1e-9, "the best checkpoint holds the average that was validated");
        }

        Recorder[] parts = stopAndResume(averaged, captions, dir.resolve("b"), 11);
        Recorder first = parts[0];
        Recorder rest = parts[1];
        assertTrue(Files.isRegularFile(dir.resolve("b").resolve("last").resolve("training.params")), "the raw weights are kept for the resume");
        List<Double> joined = new ArrayList<>(first.losses);
        joined.addAll(rest.losses);
        assertEquals(whole.losses, joined, "the resumed run takes the same steps");
        assertEquals(whole.validations.get(2).get("CIDEr"), rest.validations.get(rest.validations.size() - 1).get("CIDEr"), 1e-9,
                "and ends with the same average");
    }

    private static Map<Long, List<String>> captions(CaptionDecoder decoder, FeatureCache cache, List<Long> ids, int beam)
            throws IOException {
        Captioner.Options options = Captioner.Options.builder().optBeamSize(beam).optMaxLength(17).build();
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        new FeatureCaptioner(decoder, vocabulary, options).caption(cache, ids).forEach((id, c) -> candidates.put(id, List.of(c.text())));
        return candidates;
    }

    /** No NDArray outlives its step, the weight average's updates included (its arrays live in a sub-manager, counted too). */
    @Test
    void liveArraysStayFlatOver200Steps() throws IOException {
        CaptionData captions = CaptionData.of(split, vocabulary, 16);
        TrainingConfig base = config("linear:k=1,c=0.002,min=0.5", 40);
        TrainingConfig config = TrainingConfig.builder().setDecoder(base.decoder()).optBatchSize(16).optEpochs(40).optLearningRate(3e-3f)
                .optDecay(0.8f, 1).optScheduledSampling(base.scheduledSampling(), base.samplingMode()).optCheckpointEvery(5).optSeed(42)
                .optWeightAverage(0.99f).build();
        try (FeatureCache cache = FeatureCache.open(data.resolve("cache"));
                CaptionTrainer trainer = CaptionTrainer.start(config, vocabulary, captions, CachedFeatures.of(cache), dir.resolve("c"))) {
            Recorder recorder = new Recorder();
            trainer.train(recorder, 2);
            int before = trainer.liveArrays();
            trainer.train(recorder, 200);
            assertEquals(before, trainer.liveArrays(), "no NDArray outlives its step");
            assertEquals(202, recorder.losses.size());
            double early = recorder.losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double late = recorder.losses.subList(192, 202).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(late < early, "the loss falls: " + early + " -> " + late);
        }
    }
}
