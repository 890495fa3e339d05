package dev.captioner.pipeline.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.train.Adam;
import dev.captioner.decoder.train.CaptionLoss;
import dev.captioner.decoder.train.GlobalNormClipping;
import java.util.LinkedHashMap;
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
    private Adam adam;
    private GlobalNormClipping clipping;
    private Map<String, Parameter> parameters;
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
        parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        adam = Adam.standard();
        clipping = GlobalNormClipping.builder().setMaxNorm(5).build();
    }

    @Override
    public void iterate() {
        try (NDManager scope = manager.newSubManager()) {
            // The inputs join the step's scope for its duration, so every result computed from them lands there.
            scope.tempAttachAll(grid, pooled, inputs, targets, mask);
            ParameterStore ps = new ParameterStore(scope, false);
            long t0 = System.nanoTime();
            long t1;
            long t2;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                CaptionDecoder.Unrolled out = decoder.unroll(ps, attention ? grid : null, pooled, inputs, null, null, null, true);
                NDArray loss = CaptionLoss.crossEntropy(out.logits(), targets, mask);
                if (attention) {
                    loss = loss.add(CaptionLoss.doublyStochastic(out.alphas(), mask, 1f));
                }
                loss.attach(scope);
                lastLoss = loss.getFloat(); // libtorch runs eagerly on the CPU: the forward pass is done here
                t1 = System.nanoTime();
                collector.backward(loss);
                t2 = System.nanoTime();
            }
            float scale = (float) clipping.scale(parameters.values(), scope); // global-norm clipping at 5, applied in Adam's pass
            adam.step(parameters, 4e-4f, scale, scope, moments);
            long t3 = System.nanoTime();
            forwardMs.add((t1 - t0) / 1e6);
            backwardMs.add((t2 - t1) / 1e6);
            optimizerMs.add((t3 - t2) / 1e6);
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
