package dev.captioner.pipeline.compare;

import dev.captioner.data.FileTrees;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.CaptionTrainer;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.pipeline.CachedFeatures;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.model.FeatureCaptioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Measures what one model costs ({@link StepBudget.ModelCost}) on the comparison's data and machine: a few
 * training steps after a warm-up, one validation (its own search) of a sample of the validation images and a beam
 * search over a sample of the test images, each scaled to the full count. The decoder is untrained, so its
 * captions run to the maximum length: the caption costs err on the high side.
 */
public final class Calibration {
    /** Steps taken before timing: the first steps pay for warming up the native code. */
    public static final int WARMUP_STEPS = 3;
    /** Steps timed. */
    public static final int TIMED_STEPS = 10;
    /** Validation images timed at most. */
    public static final int VALIDATION_SAMPLE = 64;
    /** Test images timed at most. */
    public static final int TEST_SAMPLE = 32;

    private static final CaptionTrainer.Listener QUIET = new CaptionTrainer.Listener() {
        @Override
        public void step(long step, int epoch, double loss, double teacherForcing, double learningRate) { }

        @Override
        public void validated(long step, int epoch, Map<String, Double> scores) { }
    };

    private Calibration() {}

    /**
     * Times one model.
     *
     * @param config     its training configuration, with enough epochs for {@value #WARMUP_STEPS} + {@value #TIMED_STEPS} steps
     * @param split      the comparison's split: train images trained on, val images validated on
     * @param testIds    the test images the comparison evaluates on
     * @param search     the search of the test evaluation
     * @param scratch    a folder for the checkpoints of the trial, deleted at the end
     */
    public static StepBudget.ModelCost measure(TrainingConfig config, Vocabulary vocabulary, KarpathySplit split, List<Long> testIds,
            FeatureCache cache, Captioner.Options search, Path scratch) throws IOException {
        int validationImages = split.split("val").size();
        KarpathySplit sample = new SplitSizes(null, VALIDATION_SAMPLE, null).apply(split);
        CaptionData data = CaptionData.of(sample, vocabulary, config.maxWords());
        try (CaptionTrainer trainer = CaptionTrainer.start(config, vocabulary, data, CachedFeatures.of(cache), scratch)) {
            trainer.train(QUIET, WARMUP_STEPS);
            long start = System.nanoTime();
            trainer.train(QUIET, TIMED_STEPS);
            double step = seconds(start) / TIMED_STEPS;

            double validation = 0;
            if (validationImages > 0) {
                start = System.nanoTime();
                trainer.validate();
                validation = seconds(start) / data.validationImages().size() * validationImages;
            }
            List<Long> timed = testIds.subList(0, Math.min(TEST_SAMPLE, testIds.size()));
            start = System.nanoTime();
            new FeatureCaptioner(trainer.decoder(), vocabulary, search).caption(cache, timed);
            double test = timed.isEmpty() ? 0 : seconds(start) / timed.size() * testIds.size();
            return new StepBudget.ModelCost(step, validation, test);
        } finally {
            FileTrees.delete(scratch);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
