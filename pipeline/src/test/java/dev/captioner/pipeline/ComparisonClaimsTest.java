package dev.captioner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How workers share a comparison's runs: one claim a run, and each worker's expected share of the steps. */
class ComparisonClaimsTest {
    @TempDir
    Path out;

    @Test
    void aRunIsClaimedOnceAndEveryWorkerSeesTheClaim() throws IOException {
        Path run = out.resolve("runs").resolve("att-lstm").resolve("seed-0");
        Path other = out.resolve("runs").resolve("plain-lstm").resolve("seed-0");
        assertFalse(Comparison.claimedBySomeone(out, run));
        assertTrue(Comparison.claim(out, run));
        assertFalse(Comparison.claim(out, run), "a second worker does not get it");
        assertTrue(Comparison.claimedBySomeone(out, run));
        assertFalse(Comparison.claimedBySomeone(out, other));
    }

    /**
     * Six runs of 6,250 steps and two workers: before taking any, a worker expects three runs; having taken one
     * with four untaken, three; with its last run taken and none left untaken, exactly what it has taken.
     */
    @Test
    void aWorkerExpectsWhatItHasTakenAndItsShareOfTheRest() {
        assertEquals(18_750, Comparison.workerShare(0, 6 * 6250, 2));
        assertEquals(6250 + 12_500, Comparison.workerShare(6250, 4 * 6250, 2));
        assertEquals(3 * 6250, Comparison.workerShare(3 * 6250, 0, 2));
        assertEquals(4, Comparison.workerShare(0, 7, 2), "rounded up");
        assertEquals(7, Comparison.workerShare(0, 7, 1), "one worker does it all");
    }
}
