package dev.captioner.decoder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SamplingModeTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void argmaxTakesTheHighestScorePerRow() {
        NDArray logits = manager.create(new float[][] {{0.1f, 2f, -1f, 0f}, {5f, 1f, 1f, 4.9f}, {-3f, -2f, -1f, -0.5f}}); // (B, V)
        assertArrayEquals(new long[] {1, 0, 3}, SamplingMode.ARGMAX.choose(logits, null));
    }

    @Test
    void sampleFollowsTheSoftmax() {
        int batch = 4000;
        float[] logProbabilities = {(float) Math.log(0.2), (float) Math.log(0.3), (float) Math.log(0.5)};
        float[][] rows = new float[batch][];
        Arrays.fill(rows, logProbabilities);
        NDArray logits = manager.create(rows); // (B, V)
        long[] ids = SamplingMode.SAMPLE.choose(logits, new Random(11L));
        int[] counts = new int[3];
        for (long id : ids) {
            counts[(int) id]++;
        }
        double[] expected = {0.2, 0.3, 0.5};
        for (int v = 0; v < 3; v++) {
            // five standard errors of a share over 4000 draws
            double tolerance = 5 * Math.sqrt(expected[v] * (1 - expected[v]) / batch);
            assertEquals(expected[v], counts[v] / (double) batch, tolerance, "word " + v + ": " + Arrays.toString(counts));
        }
        // the same seed gives the same draws; another seed others
        assertArrayEquals(ids, SamplingMode.SAMPLE.choose(logits, new Random(11L)));
        assertFalse(Arrays.equals(ids, SamplingMode.SAMPLE.choose(logits, new Random(12L))));
    }

    @Test
    void samplePicksACertainWord() {
        NDArray logits = manager.create(new float[][] {{-100f, 100f, -100f}, {0f, -200f, -200f}});
        assertArrayEquals(new long[] {1, 0}, SamplingMode.SAMPLE.choose(logits, new Random(1L)));
    }

    @Test
    void choosingLeavesNothingBehindAndCarriesNoGradient() {
        try (NDManager step = manager.newSubManager()) {
            NDArray weights = step.randomNormal(new Shape(4, 6)); // (D, V)
            weights.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = step.ones(new Shape(3, 4)).matMul(weights); // (B, V), on the tape
                int withLogits = step.getManagedArrays().size();
                long[] sampled = SamplingMode.SAMPLE.choose(logits, new Random(3L));
                long[] greedy = SamplingMode.ARGMAX.choose(logits, null);
                assertEquals(withLogits, step.getManagedArrays().size(), "choose must close what it makes");
                assertEquals(3, sampled.length);
                assertEquals(3, greedy.length);
                for (long id : sampled) {
                    assertTrue(id >= 0 && id < 6);
                }
                // the loss still differentiates through the logits alone
                collector.backward(logits.sum());
            }
            assertEquals(3f * 1, weights.getGradient().getFloat(0, 0), 1e-6f);
        }
    }

    @Test
    void parsesTheCommandLineNames() {
        assertEquals(SamplingMode.SAMPLE, SamplingMode.parse("sample"));
        assertEquals(SamplingMode.ARGMAX, SamplingMode.parse(" ArgMax "));
        assertEquals("argmax", SamplingMode.ARGMAX.toString());
        assertEquals(SamplingMode.SAMPLE, SamplingMode.parse(SamplingMode.SAMPLE.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplingMode.parse("greedy"));
        assertEquals("sampling mode 'greedy': expected sample or argmax", e.getMessage());
    }

    @Test
    void rejectsLogitsThatAreNotAMatrixOrNotFinite() {
        assertThrows(IllegalArgumentException.class, () -> SamplingMode.ARGMAX.choose(manager.zeros(new Shape(2, 3, 4)), null));
        NDArray nan = manager.create(new float[][] {{Float.NaN, 0f}});
        assertThrows(IllegalArgumentException.class, () -> SamplingMode.SAMPLE.choose(nan, new Random(1L)));
    }
}
