package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void stepDecayMultipliesByGammaEveryNEpochsDownToTheFloor() {
        LearningRateSchedule decay = LearningRateSchedule.stepDecay()
                .setInitialRate(1.0).setGamma(0.5).setEvery(3).optMinRate(0.2).build();
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            assertEquals(expected[epoch], decay.learningRate(epoch), 1e-15, "epoch " + epoch);
        }
        decay.observe(0.1); // ignored
        assertEquals(1.0, decay.learningRate(0), 0);
        assertEquals(0.2, decay.learningRate(1000), 0);

        LearningRateSchedule noFloor = LearningRateSchedule.stepDecay().setInitialRate(4e-4).setGamma(0.8).setEvery(1).build();
        assertEquals(4e-4 * 0.8 * 0.8 * 0.8, noFloor.learningRate(3), 1e-18);
        assertEquals("step-decay lr=4.0E-4 gamma=0.8 every=1 min=0.0", noFloor.describe());
    }

    @Test
    void stepDecayChecksItsSettings() {
        assertThrows(IllegalStateException.class, () -> LearningRateSchedule.stepDecay().setInitialRate(1).setGamma(0.5).build());
        assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.stepDecay().setInitialRate(1).setGamma(1.5).setEvery(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.stepDecay().setInitialRate(-1).setGamma(0.5).setEvery(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.stepDecay().setInitialRate(1).setGamma(0.5).setEvery(0).build());
        StepDecay decay = StepDecay.builder().setInitialRate(1).setGamma(0.5).setEvery(1).build();
        assertThrows(IllegalArgumentException.class, () -> decay.learningRate(-1));
    }

    @Test
    void reduceOnPlateauCutsAfterPatienceEvaluationsWithoutImprovement() {
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau()
                .setInitialRate(1.0).optFactor(0.5).optPatience(2).optThreshold(0.01).optMinRate(0.2).build();
        // score                       lr after   why
        double[][] sequence = {
            {0.50, 1.00},   // first score: best 0.50
            {0.60, 1.00},   // best 0.60
            {0.605, 1.00},  // not above 0.61: 1 bad
            {0.59, 0.50},   // 2 bad = patience: ×0.5, count restarts
            {0.70, 0.50},   // best 0.70
            {0.69, 0.50},   // 1 bad
            {0.70, 0.25},   // equal is not better: 2 bad, ×0.5
            {0.10, 0.25},   // 1 bad
            {0.10, 0.20},   // 2 bad: 0.125 is below the floor 0.2
            {0.10, 0.20},
            {0.10, 0.20},   // at the floor it stays
            {0.711, 0.20},  // best 0.711 (above 0.70 + 0.01)
        };
        int[] reductionsAfter = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4};
        for (int i = 0; i < sequence.length; i++) {
            plateau.observe(sequence[i][0]);
            assertEquals(sequence[i][1], plateau.learningRate(i + 1), 1e-15, "after evaluation " + i);
            assertEquals(reductionsAfter[i], plateau.reductions(), "reductions after evaluation " + i);
        }
        assertEquals(0.711, plateau.bestScore(), 0);
        assertEquals(0, plateau.evaluationsSinceImprovement());
    }

    @Test
    void reduceOnPlateauDefaultsAndOtherModes() {
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau().setInitialRate(0.1).build(); // ×0.5 after 3
        assertEquals(0.1, plateau.learningRate(0), 0);
        plateau.observe(1.0);
        plateau.observe(Double.NaN); // counts as no improvement
        plateau.observe(0.9);
        assertEquals(0.1, plateau.currentRate(), 0);
        plateau.observe(1.0);
        assertEquals(0.05, plateau.currentRate(), 1e-15);
        assertEquals(1.0, plateau.bestScore(), 0);

        ReduceOnPlateau onLoss = LearningRateSchedule.reduceOnPlateau()
                .setInitialRate(1).optPatience(1).optFactor(0.1).optMode(MonitorMode.MIN).build();
        onLoss.observe(2.0);
        onLoss.observe(1.5); // lower is better
        assertEquals(1.0, onLoss.currentRate(), 0);
        onLoss.observe(1.6);
        assertEquals(0.1, onLoss.currentRate(), 1e-15);

        assertThrows(IllegalStateException.class, () -> LearningRateSchedule.reduceOnPlateau().build());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau().setInitialRate(1).optPatience(0).build());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau().setInitialRate(1).optThreshold(-1).build());
    }

    @Test
    void constantIsConstant() {
        LearningRateSchedule constant = LearningRateSchedule.constant(3e-4);
        constant.observe(0.5);
        assertEquals(3e-4, constant.learningRate(0), 0);
        assertEquals(3e-4, constant.learningRate(99), 0);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
    }

    /**
     * Adam's first steps on a constant gradient move each weight by about lr (m̂/√v̂ = g/|g| = 1), so the
     * weight's path shows which rate Adam read.
     */
    @Test
    void adamReadsTheRateTheScheduleSetsOnTheTracker() {
        LearningRateSchedule decay = LearningRateSchedule.stepDecay().setInitialRate(0.1).setGamma(0.1).setEvery(1).build();
        LearningRateTracker tracker = new LearningRateTracker(decay.learningRate(0));
        Adam adam = Optimizer.adam().optLearningRateTracker(tracker).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(new ai.djl.ndarray.types.Shape(1));
            NDArray gradient = manager.create(new float[] {2f});

            assertEquals(0.1, decay.applyTo(tracker, 0), 0);
            adam.update("w", weight, gradient);
            assertEquals(-0.1f, weight.getFloat(0), 1e-6f);

            assertEquals(0.01, decay.applyTo(tracker, 1), 1e-15);
            assertEquals(0.01f, tracker.get(), 0f);
            adam.update("w", weight, gradient);
            assertEquals(-0.11f, weight.getFloat(0), 1e-6f);

            tracker.set(0.001);
            adam.update("w", weight, gradient);
            assertEquals(-0.111f, weight.getFloat(0), 1e-6f);
        }
        assertEquals(0.001f, tracker.getNewValue(12345), 0f);
        assertEquals(0.001f, tracker.getNewValue("any parameter", 7), 0f);
        assertThrows(IllegalArgumentException.class, () -> tracker.set(Double.NaN));
    }
}
