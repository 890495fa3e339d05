package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void stopsAfterPatienceEvaluationsWithoutImprovementAndRemembersTheBest() {
        EarlyStopping stopping = EarlyStopping.builder().setPatience(3).build();
        assertTrue(Double.isNaN(stopping.bestScore()));
        assertEquals(-1, stopping.bestStep());
        assertFalse(stopping.shouldStop());

        assertTrue(stopping.observe(0.50, 1000));
        assertTrue(stopping.observe(0.62, 2000));
        assertFalse(stopping.observe(0.61, 3000));
        assertFalse(stopping.shouldStop());
        assertFalse(stopping.observe(0.62, 4000)); // equal is not better
        assertFalse(stopping.shouldStop());
        assertEquals(2, stopping.evaluationsSinceImprovement());
        assertFalse(stopping.observe(0.40, 5000));
        assertTrue(stopping.shouldStop());

        assertEquals(0.62, stopping.bestScore(), 0);
        assertEquals(2000, stopping.bestStep());
        assertEquals(5, stopping.evaluations());
    }

    @Test
    void anImprovementResetsTheCount() {
        EarlyStopping stopping = EarlyStopping.builder().setPatience(2).build();
        stopping.observe(0.5, 1);
        stopping.observe(0.4, 2);
        assertTrue(stopping.observe(0.7, 3));
        stopping.observe(0.6, 4);
        assertFalse(stopping.shouldStop());
        stopping.observe(0.6, 5);
        assertTrue(stopping.shouldStop());
        assertEquals(3, stopping.bestStep());
    }

    @Test
    void minDeltaNaNAndMinMode() {
        EarlyStopping withDelta = EarlyStopping.builder().setPatience(2).optMinDelta(0.05).build();
        withDelta.observe(0.50, 1);
        assertFalse(withDelta.observe(0.54, 2)); // not by more than 0.05
        assertFalse(withDelta.observe(Double.NaN, 3));
        assertTrue(withDelta.shouldStop());
        assertEquals(0.50, withDelta.bestScore(), 0);

        EarlyStopping nanFirst = EarlyStopping.builder().setPatience(1).build();
        assertFalse(nanFirst.observe(Double.NaN, 1));
        assertTrue(nanFirst.shouldStop());
        assertTrue(nanFirst.observe(0.1, 2));
        assertFalse(nanFirst.shouldStop());

        EarlyStopping onLoss = EarlyStopping.builder().setPatience(1).optMode(MonitorMode.MIN).build();
        assertTrue(onLoss.observe(3.0, 10));
        assertTrue(onLoss.observe(2.5, 20));
        assertFalse(onLoss.observe(2.6, 30));
        assertTrue(onLoss.shouldStop());
        assertEquals(20, onLoss.bestStep());
    }

    @Test
    void builderChecksItsSettings() {
        assertThrows(IllegalStateException.class, () -> EarlyStopping.builder().build());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder().setPatience(0).build());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder().setPatience(1).optMinDelta(-0.1).build());
    }
}
