package dev.captioner.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.Captions;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.decoder.train.CaptionLoss;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A tiny decoder of each kind learns 20 captions by heart: real DJL training, real greedy decoding. */
class OverfitTest {
    private static final int IMAGES = 20;
    private static final int LOCATIONS = 4;
    private static final int FEATURES = 8;
    private static final int VOCABULARY = 14;
    private static final int WORDS = 5;

    @ParameterizedTest(name = "{0} attention={1}")
    @CsvSource({"LSTM, true", "GRU, true", "LSTM, false", "GRU, false"})
    void learnsTwentyCaptionsExactly(CellType cell, boolean attention) {
        Engine.getEngine("PyTorch").setRandomSeed(7);
        DecoderConfig config = new DecoderConfig(cell, attention, VOCABULARY, 16, 48, 16, FEATURES, 1, 0f, true, false);
        CaptionDecoder decoder = new CaptionDecoder(config);
        SplittableRandom random = new SplittableRandom(3);
        float[] grid = new float[IMAGES * LOCATIONS * FEATURES];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) random.nextDouble();
        }
        int[][] captions = new int[IMAGES][WORDS];
        long[] inputs = new long[IMAGES * (WORDS + 1)];
        long[] targets = new long[IMAGES * (WORDS + 1)];
        for (int b = 0; b < IMAGES; b++) {
            inputs[b * (WORDS + 1)] = Vocabulary.START_ID;
            for (int t = 0; t < WORDS; t++) {
                captions[b][t] = 4 + random.nextInt(VOCABULARY - 4);
                inputs[b * (WORDS + 1) + t + 1] = captions[b][t];
                targets[b * (WORDS + 1) + t] = captions[b][t];
            }
            targets[b * (WORDS + 1) + WORDS] = Vocabulary.END_ID;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(grid, new Shape(IMAGES, LOCATIONS, FEATURES)); // (B, L, D)
            NDArray pooled = a.mean(new int[] {1}); // (B, D)
            NDArray in = manager.create(inputs, new Shape(IMAGES, WORDS + 1)); // (B, T)
            NDArray out = manager.create(targets, new Shape(IMAGES, WORDS + 1)); // (B, T)
            NDArray mask = manager.ones(new Shape(IMAGES, WORDS + 1)); // (B, T)
            decoder.initialize(manager, DataType.FLOAT32, a.getShape(), pooled.getShape(), in.getShape());
            ParameterStore ps = new ParameterStore(manager, false);
            ps.setParameterServer(new LocalParameterServer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build()),
                    new Device[] {manager.getDevice()});
            float loss = Float.NaN;
            long start = System.nanoTime();
            for (int step = 0; step < 400; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(scope);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        CaptionDecoder.Unrolled unrolled = decoder.unroll(ps, x, x.mean(new int[] {1}), in, null, null, null, true);
                        NDArray value = CaptionLoss.crossEntropy(unrolled.logits(), out, mask);
                        if (attention) {
                            value = value.add(CaptionLoss.doublyStochastic(unrolled.alphas(), mask, 0.01f));
                        }
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    ps.updateAllParameters();
                }
                if (loss < 0.05f) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 60, "took " + seconds + " s");
            Captions result = new GreedySearch(WORDS + 3).decode(decoder, attention ? a : null, pooled);
            for (int b = 0; b < IMAGES; b++) {
                assertArrayEquals(captions[b], result.words()[b], "caption " + b + " (final loss " + loss + ")");
                if (attention) {
                    assertEquals(LOCATIONS, result.alphas()[b][0].length);
                }
            }
        }
    }
}
