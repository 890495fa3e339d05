package dev.captioner.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.captioner.data.FileTrees;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.CaptionTrainer;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.pipeline.CachedFeatures;
import dev.captioner.pipeline.compare.CompareModel;
import dev.captioner.pipeline.compare.CompareSettings;
import dev.captioner.pipeline.compare.RunResult;
import dev.captioner.pipeline.compare.SplitScores;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.model.FeatureCaptioner;
import dev.captioner.pipeline.model.SnapshotDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of {@code captioner compare}: one model trained with one seed for the comparison's number of
 * steps, validated at its validation steps and at epoch ends, then the chosen checkpoint (the best
 * validation CIDEr-D, or the final parameters) evaluated on the test split. The run folder:
 * <pre>
 *   training-log.csv        every step and validation (as {@code captioner train} writes it)
 *   checkpoints/best|last   the evaluated snapshot only (the other is deleted once the run is done)
 *   results_test.json       the test captions, a COCO results file
 *   result.json             the run's scores ({@link RunResult}), written last: the run is done
 * </pre>
 *
 * @param settings  the comparison's settings
 * @param data      the training captions and the validation references
 * @param test      the test images, with their references
 * @param objects   each test image's objects
 * @param regions   each test image's region under the attention grid
 * @param device    where the decoders train; null for the engine's default
 */
public record ComparisonRun(CompareSettings settings, Vocabulary vocabulary, CaptionData data, FeatureCache cache, List<KarpathyImage> test,
        Map<Long, List<SynthAnnotation>> objects, Map<Long, GridRegion> regions, Device device) {

    /** Images captioned together in the test evaluation. */
    public static final int TEST_BATCH = 50;

    /** The test search: beam (or greedy) with the settings' K and maximum length. */
    public Captioner.Options search() {
        return Captioner.Options.builder().optBeamSize(settings.beam()).optMaxLength(settings.maxLength()).optBatchSize(TEST_BATCH)
                .build();
    }

    /** Steps in one epoch of the training captions. */
    public long stepsPerEpoch() {
        return (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
    }

    public TrainingConfig training(CompareModel model, long seed) {
        return settings.training(model, seed, vocabulary.size(), cache.layout().channels(), stepsPerEpoch(), settings.steps());
    }

    /**
     * Trains and evaluates {@code model} with {@code seed} in {@code dir}, moving {@code bar} to
     * {@code barOffset} + the step; prints a line per validation and one with the test scores. A run that an earlier
     * invocation left unfinished continues from its last checkpoint (saved at each epoch's end) when that
     * checkpoint was trained with this run's configuration; otherwise the folder is made afresh.
     */
    public RunResult run(CompareModel model, long seed, Path dir, ProgressListener.Task bar, long barOffset, ProgressListener listener)
            throws IOException {
        String label = model.name() + " seed " + seed;
        Path checkpoints = dir.resolve(Checkpoint.FOLDER);
        TrainingConfig config = training(model, seed);
        Checkpoint.Saved saved = resumable(checkpoints, config);
        if (saved == null) {
            FileTrees.delete(dir);
            Files.createDirectories(dir);
        } else {
            listener.note(String.format(Locale.ROOT, "%s: resuming at step %d of %d (%s)", label, saved.progress().step(), settings.steps(),
                    checkpoints.resolve(Checkpoint.LAST)));
        }
        long start = System.nanoTime();
        try (TrainingLog log = saved != null ? TrainingLog.resume(dir.resolve(TrainingLog.FILE), saved.progress())
                        : TrainingLog.create(dir.resolve(TrainingLog.FILE));
                CaptionTrainer trainer = saved != null ? CaptionTrainer.resume(checkpoints, data, CachedFeatures.of(cache), device)
                        : CaptionTrainer.start(config, vocabulary, data, CachedFeatures.of(cache), checkpoints, device)) {
            double rate = saved != null ? saved.progress().learningRate() : config.learningRate();
            TrainingProgress progress = new TrainingProgress(log, bar, listener, rate, label, barOffset);
            bar.stepTo(barOffset + trainer.step());
            for (long at : settings.validationSteps()) {
                if (at <= trainer.step()) {
                    continue; // validated before the checkpoint was saved
                }
                trainer.train(progress, at - trainer.step());
                if (progress.lastValidated() != trainer.step()) {
                    trainer.validateNow(progress);
                }
            }
            trainer.saveCheckpoint();
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        Checkpoint.Progress end = Checkpoint.read(checkpoints).progress();
        Path snapshot = settings.checkpoint().equals("best") ? Checkpoint.bestSnapshot(checkpoints) : checkpoints.resolve(Checkpoint.LAST);
        Map<Long, Caption> captions;
        try (NDManager manager = NDManager.newBaseManager()) {
            captions = new FeatureCaptioner(SnapshotDecoder.load(snapshot, manager), vocabulary, search())
                    .caption(cache, test.stream().map(KarpathyImage::id).toList());
        }
        SplitScores.Scores scores = SplitScores.of(test, captions, objects, model.attention() ? regions : null);
        List<CocoResult> results = new ArrayList<>();
        captions.forEach((id, caption) -> results.add(new CocoResult(id, caption.text())));
        CocoResults.write(dir.resolve("results_test.json"), results);
        for (String other : List.of(Checkpoint.BEST, Checkpoint.LAST)) {
            if (!checkpoints.resolve(other).equals(snapshot)) {
                FileTrees.delete(checkpoints.resolve(other));
            }
        }
        double testSeconds = (System.nanoTime() - start) / 1e9;
        RunResult result = new RunResult(model.name(), seed, end.step(), settings.checkpoint(),
                dir.relativize(snapshot).toString().replace('\\', '/'), end.bestStep(), end.bestScore(), trainSeconds, testSeconds,
                test.size(), scores.overall(), scores.byObjectCount(), scores.grounding());
        result.write(dir);
        listener.note(String.format(Locale.ROOT, "%s: test CIDEr-D %.3f, BLEU-4 %.3f%s (%s checkpoint, step %d); %.0f s training, %.0f s test",
                label, scores.overall().get("CIDEr"), scores.overall().get("Bleu_4"),
                model.attention() ? String.format(Locale.ROOT, ", grounding %.3f", scores.overall().get(SplitScores.GROUNDING)) : "",
                settings.checkpoint(), settings.checkpoint().equals("best") ? end.bestStep() : end.step(), trainSeconds, testSeconds));
        return result;
    }

    /** The step an unfinished run in {@code dir} would continue from: its checkpoint's, or 0 where it starts afresh. */
    public long resumableStep(CompareModel model, long seed, Path dir) {
        Checkpoint.Saved saved = resumable(dir.resolve(Checkpoint.FOLDER), training(model, seed));
        return saved == null ? 0 : saved.progress().step();
    }

    /** The checkpoint an unfinished run can continue from: one saved with {@code config}; else null. */
    private static Checkpoint.Saved resumable(Path checkpoints, TrainingConfig config) {
        if (!Files.isDirectory(checkpoints)) {
            return null;
        }
        try {
            Checkpoint.Saved saved = Checkpoint.read(checkpoints);
            return saved.config().equals(config) ? saved : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable (an older format, a partial copy): start afresh
        }
    }
}
