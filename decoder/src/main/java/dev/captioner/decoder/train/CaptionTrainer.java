package dev.captioner.decoder.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.sampling.ScheduledSampling;
import dev.captioner.decoder.sampling.TeacherForcingMask;
import dev.captioner.decoder.search.BeamSearch;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.metrics.CaptionEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains a {@link CaptionDecoder} on image features ({@link FeatureBatches}, e.g. a feature cache) by back-propagation through time: teacher
 * forcing or scheduled sampling (Bengio et al. 2015), each step a {@link TrainingStep} (masked cross-entropy plus
 * the attention regularisers, global-norm clipping, {@link Adam}), step decay of the rate, validation CIDEr-D (greedy, or
 * the test's beam search) after each epoch with early stopping, and checkpoints that {@link #resume} continues exactly.
 *
 * <p>Every random choice derives from the seed and the position in training: the order of an epoch's
 * captions from (seed, epoch), the dropout masks and the scheduled-sampling coins from (seed, step).
 * So a run resumed from a checkpoint takes exactly the steps the uninterrupted run would have taken.
 */
public final class CaptionTrainer implements AutoCloseable {
    /** What training reports as it goes. */
    public interface Listener {
        void step(long step, int epoch, double loss, double teacherForcing, double learningRate);

        void validated(long step, int epoch, Map<String, Double> scores);
    }

    private final TrainingConfig config;
    private final Vocabulary vocabulary;
    private final CaptionData data;
    private final FeatureBatches features;
    private final Path checkpointDir;
    private final NDManager manager;
    private final NDManager moments;
    private final CaptionDecoder decoder;
    private final Adam adam;
    private final TrainingStep trainingStep;
    private final EarlyStopping earlyStopping;
    private final LearningRateSchedule rates;
    /** The weights' moving average, what validation scores and the best checkpoint keeps; null when the run has none. */
    private final WeightAverage average;
    /** Whether the decoder holds the average (during validation) rather than the raw weights. */
    private boolean averageIn;
    private Checkpoint.Progress progress;

    private CaptionTrainer(TrainingConfig config, Vocabulary vocabulary, CaptionData data, FeatureBatches features, Path checkpointDir,
            Device device) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.data = data;
        this.features = features;
        this.checkpointDir = checkpointDir;
        if (config.decoder().featureSize() != features.channels()) {
            throw new IllegalArgumentException("the decoder expects features of size " + config.decoder().featureSize()
                    + " but the features have " + features.channels() + " (" + features.describe() + ")");
        }
        if (config.decoder().vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("the decoder is built for " + config.decoder().vocabularySize()
                    + " words but the vocabulary has " + vocabulary.size());
        }
        this.manager = NDManager.newBaseManager(device); // every step's arrays are made under it, so on its device
        this.moments = manager.newSubManager();
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        this.decoder = new CaptionDecoder(config.decoder());
        int l = features.locations();
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, l, config.decoder().featureSize()),
                new Shape(1, config.decoder().featureSize()), new Shape(1, 1));
        this.adam = Adam.standard();
        this.trainingStep = new TrainingStep(decoder, config, adam, moments, vocabulary);
        this.average = config.weightAverage() > 0 ? new WeightAverage(config.weightAverage(), trainingStep.parameters(), manager) : null;
        this.earlyStopping = EarlyStopping.builder().setPatience(Math.max(1, config.patience())).build();
        this.rates = config.learningRateSchedule();
        this.progress = new Checkpoint.Progress(1, 0, 0, Double.NEGATIVE_INFINITY, 0, 0, config.learningRate(), 0);
    }

    /** A new run, on the engine's default device (what DJL finds). */
    public static CaptionTrainer start(TrainingConfig config, Vocabulary vocabulary, CaptionData data, FeatureBatches features,
            Path checkpointDir) {
        return start(config, vocabulary, data, features, checkpointDir, null);
    }

    /** A new run on {@code device} (null: the engine's default); the device is a choice of this run, not saved with it. */
    public static CaptionTrainer start(TrainingConfig config, Vocabulary vocabulary, CaptionData data, FeatureBatches features,
            Path checkpointDir, Device device) {
        return new CaptionTrainer(config, vocabulary, data, features, checkpointDir, device);
    }

    /**
     * Continues the run saved in {@code checkpointDir}: parameters, Adam's moments and step count, the
     * position in the epoch, early stopping's best score and count, and the learning-rate schedule's state.
     * The data order, dropout masks and sampling coins are derived from the seed and the step, so they
     * repeat as well.
     */
    public static CaptionTrainer resume(Path checkpointDir, CaptionData data, FeatureBatches features) throws IOException {
        return resume(checkpointDir, data, features, null);
    }

    /** As {@link #resume(Path, CaptionData, FeatureBatches)}, on {@code device} (null: the engine's default). */
    public static CaptionTrainer resume(Path checkpointDir, CaptionData data, FeatureBatches features, Device device) throws IOException {
        Checkpoint.Saved saved = Checkpoint.read(checkpointDir);
        CaptionTrainer trainer = new CaptionTrainer(saved.config(), saved.vocabulary(), data, features, checkpointDir, device);
        Checkpoint.restore(checkpointDir, trainer.decoder, trainer.manager, trainer.adam, trainer.moments, trainer.average);
        // Loaded arrays are new tensors: they must record gradients again.
        for (Parameter parameter : trainer.trainingStep.parameters().values()) {
            parameter.getArray().setRequiresGradient(true);
        }
        Checkpoint.Progress progress = saved.progress();
        trainer.progress = progress;
        if (progress.bestScore() > Double.NEGATIVE_INFINITY) {
            trainer.earlyStopping.restore(progress.bestScore(), progress.bestStep(), progress.sinceBest());
            if (trainer.rates instanceof ReduceOnPlateau plateau) {
                plateau.restore(progress.learningRate(), progress.bestScore(), progress.sinceRateImprovement());
            }
        }
        return trainer;
    }

    public CaptionDecoder decoder() {
        return decoder;
    }

    public TrainingConfig config() {
        return config;
    }

    public long step() {
        return progress.step();
    }

    /**
     * Trains until the last epoch ends, early stopping fires, or {@code maxSteps} steps have been
     * taken in this call (a way to stop a run and resume it later, used by tests).
     *
     * @return true when training is over, false when it stopped at {@code maxSteps}
     */
    public boolean train(Listener listener, long maxSteps) throws IOException {
        List<CaptionData.Example> examples = data.train();
        int batches = (examples.size() + config.batchSize() - 1) / config.batchSize();
        ScheduledSampling schedule = config.schedule();
        long taken = 0;
        while (progress.epoch() <= config.epochs()) {
            int epoch = progress.epoch();
            int[] order = permutation(examples.size(), new SplittableRandom(config.seed() * 1_000_003L + epoch));
            float rate = (float) rates.learningRate(epoch - 1);
            for (int batch = progress.batchInEpoch(); batch < batches; batch++) {
                if (taken == maxSteps) {
                    return false;
                }
                long step = progress.step();
                double epsilon = schedule.teacherForcingProbability(step, epoch - 1);
                double loss = trainStep(examples, order, batch, step, epsilon, rate);
                if (average != null) {
                    average.update(step + 1);
                }
                taken++;
                progress = new Checkpoint.Progress(epoch, batch + 1, step + 1, progress.bestScore(), progress.bestStep(),
                        progress.sinceBest(), rate, progress.sinceRateImprovement());
                listener.step(step + 1, epoch, loss, epsilon, rate);
                if (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0) {
                    saveCheckpoint();
                }
            }
            averaged(true);
            Map<String, Double> scores;
            boolean better;
            try {
                scores = score();
                listener.validated(progress.step(), epoch, scores);
                better = earlyStopping.observe(cider(scores), progress.step());
                if (better) {
                    Checkpoint.saveBest(checkpointDir, config, vocabulary, decoder);
                }
            } finally {
                averaged(false);
            }
            double cider = cider(scores);
            rates.observe(cider);
            int sinceRateImprovement = rates instanceof ReduceOnPlateau plateau ? plateau.evaluationsSinceImprovement() : 0;
            progress = new Checkpoint.Progress(epoch + 1, 0, progress.step(), earlyStopping.bestScore(), earlyStopping.bestStep(),
                    earlyStopping.evaluationsSinceImprovement(), rates.learningRate(epoch), sinceRateImprovement);
            saveCheckpoint();
            if (config.patience() > 0 && earlyStopping.shouldStop()) {
                return true;
            }
        }
        return true;
    }

    /**
     * Validates now, between the validations at epoch ends, for a caller that trains in slices of steps
     * ({@link #train} with {@code maxSteps}) and wants more than one validation an epoch. The scores go to
     * the listener; where CIDEr-D beats every validation so far (epoch ends included) the parameters
     * become the best checkpoint ({@code best/}). Early stopping counts this validation as any other; the
     * learning-rate schedule still moves at epoch ends only. Nothing is saved to {@code last/}.
     *
     * @return the validation scores (empty without validation images)
     */
    public Map<String, Double> validateNow(Listener listener) throws IOException {
        averaged(true);
        try {
            Map<String, Double> scores = score();
            listener.validated(progress.step(), progress.epoch(), scores);
            boolean better = earlyStopping.observe(cider(scores), progress.step());
            progress = new Checkpoint.Progress(progress.epoch(), progress.batchInEpoch(), progress.step(), earlyStopping.bestScore(),
                    earlyStopping.bestStep(), earlyStopping.evaluationsSinceImprovement(), progress.learningRate(),
                    progress.sinceRateImprovement());
            if (better) {
                Checkpoint.saveBest(checkpointDir, config, vocabulary, decoder);
            }
            return scores;
        } finally {
            averaged(false);
        }
    }

    /** Puts the weights' average into the decoder (true) or the raw weights back (false); nothing without an average. */
    private void averaged(boolean on) {
        if (average != null && averageIn != on) {
            average.swap();
            averageIn = on;
        }
    }

    /** The score that picks the best checkpoint: CIDEr-D, 0 without validation images. */
    private static double cider(Map<String, Double> scores) {
        return scores.getOrDefault("CIDEr", 0.0);
    }

    private double trainStep(List<CaptionData.Example> examples, int[] order, int batch, long step, double epsilon, float rate)
            throws IOException {
        int from = batch * config.batchSize();
        int to = Math.min(examples.size(), from + config.batchSize());
        int b = to - from;
        int width = 1;
        List<Long> ids = new ArrayList<>(b);
        for (int i = from; i < to; i++) {
            width = Math.max(width, examples.get(order[i]).words().length + 1);
            ids.add(examples.get(order[i]).imageId());
        }
        long[] inputs = new long[b * width];
        long[] targets = new long[b * width];
        float[] mask = new float[b * width];
        for (int row = 0; row < b; row++) {
            int[] words = examples.get(order[from + row]).words();
            inputs[row * width] = Vocabulary.START_ID;
            for (int t = 0; t < words.length; t++) {
                inputs[row * width + t + 1] = words[t];
                targets[row * width + t] = words[t];
                mask[row * width + t] = 1f;
            }
            targets[row * width + words.length] = Vocabulary.END_ID;
            mask[row * width + words.length] = 1f;
        }
        // Dropout draws and sampling coins depend on the step alone, so a resumed run repeats them.
        Engine.getEngine("PyTorch").setRandomSeed((int) (config.seed() * 7919 + step));
        Random coins = new Random(config.seed() * 104_729L + step);
        boolean[][] feedTruth = epsilon >= 1.0 ? null : TeacherForcingMask.sample(b, width, epsilon, coins);
        try (NDManager scope = manager.newSubManager()) {
            NDList imageFeatures = features.batch(scope, ids); // (B, L, D), (B, D)
            NDArray in = scope.create(inputs, new Shape(b, width)); // (B, T)
            NDArray out = scope.create(targets, new Shape(b, width)); // (B, T)
            NDArray m = scope.create(mask, new Shape(b, width)); // (B, T)
            NDArray lookAt = lookAt(scope, examples, order, from, b, width);
            return trainingStep.run(scope, imageFeatures.get(0), imageFeatures.get(1), in, out, m, lookAt, feedTruth, coins, rate, step)
                    .loss();
        }
    }

    /** The cells each step's target word should look at, (B, T, L); null when the run does not supervise attention. */
    private NDArray lookAt(NDManager scope, List<CaptionData.Example> examples, int[] order, int from, int b, int width) {
        if (!config.decoder().attention() || config.attentionSupervision() <= 0) {
            return null;
        }
        int locations = features.locations();
        float[] cells = new float[b * width * locations];
        for (int row = 0; row < b; row++) {
            BitSet[] lookAt = examples.get(order[from + row]).lookAt();
            for (int t = 0; lookAt != null && t < lookAt.length; t++) {
                if (lookAt[t] == null) {
                    continue;
                }
                int base = (row * width + t) * locations;
                lookAt[t].stream().filter(l -> l < locations).forEach(l -> cells[base + l] = 1f);
            }
        }
        return scope.create(cells, new Shape(b, width, locations));
    }

    /**
     * Captions of the validation images, scored against their references: greedy, or a beam search of
     * {@link TrainingConfig#validationBeam()} beams (the search the model will be tested with); by the weights'
     * average where the run keeps one ({@link TrainingConfig#weightAverage()}).
     */
    public Map<String, Double> validate() throws IOException {
        boolean was = averageIn;
        averaged(true);
        try {
            return score();
        } finally {
            averaged(was);
        }
    }

    /** {@link #validate} by the weights the decoder holds now. */
    private Map<String, Double> score() throws IOException {
        List<Long> images = data.validationImages();
        if (images.isEmpty()) {
            return Map.of();
        }
        int maxLength = config.maxWords() + 1;
        GreedySearch greedy = config.validationBeam() > 1 ? null : new GreedySearch(maxLength);
        BeamSearch beam = greedy != null ? null : BeamSearch.builder().setBeamSize(config.validationBeam()).setMaxLength(maxLength).build();
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        for (int from = 0; from < images.size(); from += 64) {
            List<Long> chunk = images.subList(from, Math.min(images.size(), from + 64));
            try (NDManager scope = manager.newSubManager()) {
                NDList batch = features.batch(scope, chunk); // (B, L, D), (B, D)
                NDArray grid = config.decoder().attention() ? batch.get(0) : null;
                int[][] words = greedy != null ? greedy.decode(decoder, grid, batch.get(1)).words()
                        : beam.search(decoder, grid, batch.get(1)).words();
                for (int i = 0; i < chunk.size(); i++) {
                    candidates.put(chunk.get(i), List.of(vocabulary.decodeToString(words[i])));
                }
            }
        }
        return CaptionEvaluation.evaluate(images, candidates, data.validationReferences()).toMap();
    }

    /** Saves everything a resumed run needs, atomically. */
    public void saveCheckpoint() throws IOException {
        Checkpoint.save(checkpointDir, config, vocabulary, decoder, adam, manager, progress, average);
    }

    /** Live NDArrays in the trainer's base manager: stays flat over a run when every step is scoped. */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close(); // the average's manager too
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
