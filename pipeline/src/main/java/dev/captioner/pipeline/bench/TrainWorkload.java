package dev.captioner.pipeline.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.train.Adam;
import dev.captioner.decoder.train.RegularizerScale;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.decoder.train.TrainingStep;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One training step of a decoder on B = 32 captions of the fixed lengths of shared/bench WORKLOADS.md
 * section 2 (442 target tokens), as section 5 orders it: forward with teacher forcing, masked
 * cross-entropy (plus the doubly stochastic regulariser for attention), backward, global-norm clipping at
 * 5, Adam at 4e-4, the loss read back.
 */
final class TrainWorkload implements Workload {
    private static final int B = 32;
    private static final int T = 20;
    private static final int[] LENGTHS = {11, 10, 9, 11, 20, 12, 11, 20, 12, 12, 20, 19, 11, 16, 18, 8,
        13, 9, 20, 15, 20, 10, 17, 17, 17, 17, 10, 10, 11, 12, 9, 15};

    private final CellType cell;
    private final boolean attention;
    private NDManager manager;
    private NDManager moments;
    private CaptionDecoder decoder;
    private NDArray grid;
    private NDArray pooled;
    private NDArray inputs;
    private NDArray targets;
    private NDArray mask;
    private TrainingStep step;
    private float lastLoss;
    private final java.util.List<Double> forwardMs = new java.util.ArrayList<>();
    private final java.util.List<Double> backwardMs = new java.util.ArrayList<>();
    private final java.util.List<Double> optimizerMs = new java.util.ArrayList<>();

    TrainWorkload(CellType cell, boolean attention) {
        this.cell = cell;
        this.attention = attention;
    }

    @Override
    public String name() {
        return "train-" + (attention ? "att-" : "plain-") + cell.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String description() {
        return "one training step of the " + (attention ? "soft-attention " : "plain ") + cell + " decoder, B=32, T=20";
    }

    @Override
    public int defaultIterations() {
        return 15;
    }

    @Override
    public int tokensPerIteration() {
        return 442;
    }

    @Override
    public double gflopPerIteration() {
        if (!attention) {
            return 27.8145;
        }
        return cell == CellType.LSTM ? 44.4900 : 41.4198;
    }

    @Override
    public void prepare() {
        manager = NDManager.newBaseManager();
        moments = manager.newSubManager();
        Engine.getEngine("PyTorch").setRandomSeed(0);
        int l = attention ? 196 : 1;
        DecoderConfig config = new DecoderConfig(cell, attention, 10_000, 512, 512, 512, 512, 1, 0.5f, true, false);
        decoder = new CaptionDecoder(config);
        SplittableRandom random = new SplittableRandom(0);
        float[] features = new float[B * l * 512];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        grid = manager.create(features, new Shape(B, l, 512)); // (B, L, D)
        pooled = grid.mean(new int[] {1}); // (B, D)
        long[] seq = new long[B * (T + 1)];
        float[] m = new float[B * T];
        for (int b = 0; b < B; b++) {
            seq[b * (T + 1)] = 1;
            for (int t = 1; t < LENGTHS[b]; t++) {
                seq[b * (T + 1) + t] = 4 + random.nextInt(10_000 - 4);
            }
            seq[b * (T + 1) + LENGTHS[b]] = 2;
            for (int t = 0; t < LENGTHS[b]; t++) {
                m[b * T + t] = 1f;
            }
        }
        NDArray all = manager.create(seq, new Shape(B, T + 1)); // (B, T + 1)
        inputs = all.get(":, 0:" + T); // (B, T)
        targets = all.get(":, 1:" + (T + 1)); // (B, T)
        mask = manager.create(m, new Shape(B, T)); // (B, T)
        decoder.initialize(manager, DataType.FLOAT32, attention ? grid.getShape() : new Shape(B, 1, 512), pooled.getShape(), inputs.getShape());
        // λ = 1 per image, clipping at 5: the training defaults of the first version, which the figures were measured with.
        TrainingConfig training = TrainingConfig.builder().setDecoder(config).optClipNorm(5f)
                .optDoublyStochastic(attention ? 1f : 0f, RegularizerScale.IMAGE).build();
        step = new TrainingStep(decoder, training, Adam.standard(), moments);
    }

    @Override
    public void iterate() {
        try (NDManager scope = manager.newSubManager()) {
            // The inputs join the step's scope for its duration, so every result computed from them lands there.
            scope.tempAttachAll(grid, pooled, inputs, targets, mask);
            TrainingStep.Outcome done = step.run(scope, attention ? grid : null, pooled, inputs, targets, mask, null, null, 4e-4f, 1);
            lastLoss = done.loss();
            forwardMs.add(done.forwardNanos() / 1e6);
            backwardMs.add(done.backwardNanos() / 1e6);
            optimizerMs.add(done.updateNanos() / 1e6);
        }
    }

    @Override
    public Map<String, Object> extraFigures() {
        // The phases over the last 15 iterations (the timed ones at the default count), as medians.
        return Map.of("last_loss", lastLoss, "parameters", decoder.getParameters().values().stream()
                .mapToLong(p -> p.getArray().getShape().size()).sum(),
                "forward_ms", median(forwardMs), "backward_ms", median(backwardMs), "clip_and_adam_ms", median(optimizerMs));
    }

    private static double median(java.util.List<Double> all) {
        java.util.List<Double> last = all.subList(Math.max(0, all.size() - 15), all.size());
        double[] values = last.stream().mapToDouble(Double::doubleValue).toArray();
        return values.length == 0 ? 0 : Math.round(new Timings(values).median() * 10) / 10.0;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
