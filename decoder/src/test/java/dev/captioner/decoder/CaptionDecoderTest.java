package dev.captioner.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.SamplingMode;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptionDecoderTest {
    /**
     * The training fast paths (the fused sequence op for plain decoders; the fused products of h and the
     * all-steps word product for one-layer attention; one batched output layer) compute what
     * {@link CaptionDecoder#step} computes one step at a time, and so does the scheduled-sampling unroll.
     */
    @ParameterizedTest(name = "{0} attention={1} layers={2} deep={3} scalarGate={4} {5} {6}")
    @CsvSource({"LSTM, false, 1, false, false, POOLED, BEFORE_CELL", "GRU, false, 2, false, false, POOLED, BEFORE_CELL",
        "LSTM, true, 1, false, false, POOLED, BEFORE_CELL", "GRU, true, 1, false, true, POOLED, BEFORE_CELL",
        "GRU, true, 2, false, false, POOLED, BEFORE_CELL", "LSTM, true, 1, true, false, POOLED, BEFORE_CELL",
        "GRU, false, 1, true, false, POOLED, BEFORE_CELL", "LSTM, true, 1, false, false, ZERO, BEFORE_CELL",
        "GRU, true, 1, false, false, LEARNED, BEFORE_CELL", "LSTM, true, 1, false, false, POOLED, AFTER_CELL",
        "GRU, true, 2, false, false, LEARNED, AFTER_CELL", "LSTM, true, 1, true, false, ZERO, AFTER_CELL"})
    void fastTeacherForcingEqualsStepByStep(CellType cell, boolean attention, int layers, boolean deep, boolean scalarGate,
            InitialState initial, AttentionPlacement placement) {
        Engine.getEngine("PyTorch").setRandomSeed(1);
        DecoderConfig config = new DecoderConfig(cell, attention, 30, 8, 12, 6, 10, layers, 0.5f, !scalarGate, deep,
                initial, placement);
        CaptionDecoder decoder = new CaptionDecoder(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.randomUniform(0, 1, new Shape(3, 5, 10)); // (B, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (B, D)
            NDArray inputs = manager.create(new long[] {1, 5, 6, 7, 1, 8, 9, 10, 1, 11, 12, 13}, new Shape(3, 4)); // (B, T)
            decoder.initialize(manager, DataType.FLOAT32, grid.getShape(), pooled.getShape(), inputs.getShape());
            Shape[] shapes = decoder.getOutputShapes(new Shape[] {grid.getShape(), pooled.getShape(), inputs.getShape()});
            assertEquals(new Shape(3, 4, 30), shapes[0]);
            ParameterStore ps = new ParameterStore(manager, false);
            CaptionDecoder.Unrolled fast = decoder.unroll(ps, grid, pooled, inputs, null, null, null, false);
            boolean[][] allTruth = new boolean[3][4];
            for (boolean[] row : allTruth) {
                Arrays.fill(row, true);
            }
            CaptionDecoder.Unrolled sampled = decoder.unroll(ps, grid, pooled, inputs, allTruth, SamplingMode.ARGMAX, null, false);
            CaptionDecoder.State state = decoder.start(ps, attention ? grid : null, pooled, false);
            NDList steps = new NDList();
            for (int t = 0; t < 4; t++) {
                CaptionDecoder.Step step = decoder.step(ps, state, inputs.get(":, " + t), false);
                steps.add(step.logits());
                state = step.state();
            }
            NDArray stepByStep = NDArrays.stack(steps, 1); // (B, T, V)
            assertEquals(shapes[0], fast.logits().getShape());
            assertEquals(shapes[1], fast.alphas().getShape());
            assertClose(stepByStep, fast.logits());
            assertClose(stepByStep, sampled.logits());
            if (attention) {
                float[] alpha = fast.alphas().get("0, 0").toFloatArray();
                double sum = 0;
                for (float v : alpha) {
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-5, "alpha is a distribution over the L locations");
            }
        }
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        float[] a = expected.toFloatArray();
        float[] b = actual.toFloatArray();
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        assertTrue(max < 1e-5, "max difference " + max);
    }

    @ParameterizedTest(name = "attention={0}")
    @CsvSource({"true", "false"})
    void wrongFeatureSizeIsAClearMessage(boolean attention) {
        DecoderConfig config = new DecoderConfig(CellType.LSTM, attention, 30, 8, 12, 6, 512, 1, 0f, true, false);
        CaptionDecoder decoder = new CaptionDecoder(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.zeros(new Shape(2, 49, 512));
            decoder.initialize(manager, DataType.FLOAT32, grid.getShape(), new Shape(2, 512), new Shape(2, 3));
            NDArray wrong = manager.zeros(new Shape(2, 49, 256));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    decoder.start(new ParameterStore(manager, false), wrong, wrong.mean(new int[] {1}), false));
            assertTrue(e.getMessage().contains("D=512") && e.getMessage().contains("256"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    /**
     * A zero or learned first state carries nothing of the image: two images start alike, and whatever
     * the first word's logits know of them came through attention. The pooled start differs by image.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ZERO, BEFORE_CELL", "LEARNED, BEFORE_CELL", "ZERO, AFTER_CELL", "LEARNED, AFTER_CELL", "POOLED, AFTER_CELL"})
    void aStartWithoutTheImageReadsTheImageThroughAttention(InitialState initial, AttentionPlacement placement) {
        Engine.getEngine("PyTorch").setRandomSeed(3);
        DecoderConfig config = new DecoderConfig(CellType.LSTM, true, 30, 8, 12, 6, 10, 1, 0f, true, false, initial, placement);
        CaptionDecoder decoder = new CaptionDecoder(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.randomUniform(0, 1, new Shape(2, 5, 10)); // (B, L, D): two different images
            NDArray pooled = grid.mean(new int[] {1}); // (B, D)
            decoder.initialize(manager, DataType.FLOAT32, grid.getShape(), pooled.getShape(), new Shape(2, 3));
            ParameterStore ps = new ParameterStore(manager, false);
            CaptionDecoder.State state = decoder.start(ps, grid, pooled, false);
            float[] h0 = state.cell().get(0).toFloatArray(); // (2, H)
            boolean sameStart = Arrays.equals(Arrays.copyOfRange(h0, 0, 12), Arrays.copyOfRange(h0, 12, 24));
            assertEquals(initial != InitialState.POOLED, sameStart, "h_0 of two images");
            if (initial == InitialState.ZERO) {
                assertEquals(0f, state.cell().get(0).abs().sum().getFloat(), 0f);
            }
            CaptionDecoder.Step first = decoder.step(ps, state, manager.create(new long[] {1, 1}), false);
            float[] logits = first.logits().toFloatArray(); // (2, V)
            assertTrue(!Arrays.equals(Arrays.copyOfRange(logits, 0, 30), Arrays.copyOfRange(logits, 30, 60)),
                    "the first word depends on the image");
            boolean hasInitLayer = decoder.getParameters().keys().stream().anyMatch(k -> k.contains("init_h"));
            assertEquals(initial == InitialState.POOLED, hasInitLayer);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ZERO", "LEARNED"})
    void thePlainDecoderMustStartFromThePooledVector(InitialState initial) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new DecoderConfig(CellType.GRU, false, 30, 8, 12, 6, 10, 1, 0f, true, false, initial, AttentionPlacement.BEFORE_CELL));
        assertTrue(e.getMessage().contains("pooled"), e.getMessage());
    }
}
