package dev.captioner.decoder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TeacherForcingMaskTest {

    @Test
    void teacherForcingFeedsTheGroundTruthEverywhere() {
        boolean[][] mask = TeacherForcingMask.sample(8, 20, 1.0, 7L);
        assertEquals(8, mask.length);
        for (boolean[] row : mask) {
            assertEquals(20, row.length);
            for (boolean feedTruth : row) {
                assertTrue(feedTruth);
            }
        }
        assertEquals(1.0, TeacherForcingMask.groundTruthFraction(mask), 0);
    }

    @Test
    void alwaysSampleFeedsOnlyStart() {
        boolean[][] mask = TeacherForcingMask.sample(8, 20, 0.0, 7L);
        for (boolean[] row : mask) {
            assertTrue(row[0], "position 0 is <start>");
            for (int t = 1; t < row.length; t++) {
                assertFalse(row[t]);
            }
        }
        assertEquals(0.0, TeacherForcingMask.groundTruthFraction(mask), 0);
    }

    @Test
    void seventyPercentOverManyTokens() {
        // 200 × 50 = 10,000 coin flips at t ≥ 1: the standard error of the share is sqrt(0.7·0.3/10^4) = 0.0046
        boolean[][] mask = TeacherForcingMask.sample(200, 51, 0.7, 2015L);
        double share = TeacherForcingMask.groundTruthFraction(mask);
        assertEquals(0.7, share, 5 * Math.sqrt(0.7 * 0.3 / 10_000), "share " + share);
        for (boolean[] row : mask) {
            assertTrue(row[0]);
        }
        // and not by whole rows or columns: every caption and every position mixes both
        long mixedRows = Arrays.stream(mask).filter(row -> mixed(row, 1)).count();
        assertEquals(200, mixedRows);
        for (int t = 1; t < 51; t++) {
            assertTrue(mixed(TeacherForcingMask.column(mask, t), 0), "column " + t);
        }
    }

    @Test
    void sameSeedSameMask() {
        boolean[][] first = TeacherForcingMask.sample(16, 30, 0.5, 99L);
        boolean[][] second = TeacherForcingMask.sample(16, 30, 0.5, 99L);
        boolean[][] fromRandom = TeacherForcingMask.sample(16, 30, 0.5, new Random(99L));
        boolean[][] other = TeacherForcingMask.sample(16, 30, 0.5, 100L);
        assertTrue(Arrays.deepEquals(first, second));
        assertTrue(Arrays.deepEquals(first, fromRandom));
        assertFalse(Arrays.deepEquals(first, other));
    }

    @Test
    void aSharedGeneratorMovesOnBetweenBatches() {
        Random rng = new Random(5L);
        boolean[][] first = TeacherForcingMask.sample(4, 10, 0.5, rng);
        boolean[][] second = TeacherForcingMask.sample(4, 10, 0.5, rng);
        assertFalse(Arrays.deepEquals(first, second));
        // and the pair is reproducible from the seed
        Random again = new Random(5L);
        assertTrue(Arrays.deepEquals(first, TeacherForcingMask.sample(4, 10, 0.5, again)));
        assertTrue(Arrays.deepEquals(second, TeacherForcingMask.sample(4, 10, 0.5, again)));
    }

    @Test
    void columnIsOnePositionAcrossTheBatch() {
        boolean[][] mask = {{true, false, true}, {true, true, false}};
        assertArrayEquals(new boolean[] {true, true}, TeacherForcingMask.column(mask, 0));
        assertArrayEquals(new boolean[] {false, true}, TeacherForcingMask.column(mask, 1));
        assertArrayEquals(new boolean[] {true, false}, TeacherForcingMask.column(mask, 2));
        assertEquals(0.5, TeacherForcingMask.groundTruthFraction(mask), 0);
    }

    @Test
    void edgeShapes() {
        assertEquals(0, TeacherForcingMask.sample(0, 5, 0.5, 1L).length);
        boolean[][] empty = TeacherForcingMask.sample(3, 0, 0.5, 1L);
        assertEquals(3, empty.length);
        assertEquals(0, empty[0].length);
        boolean[][] startOnly = TeacherForcingMask.sample(3, 1, 0.0, 1L);
        assertTrue(startOnly[0][0] && startOnly[1][0] && startOnly[2][0]);
        assertTrue(Double.isNaN(TeacherForcingMask.groundTruthFraction(startOnly)));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingMask.sample(2, 3, 1.5, 1L));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingMask.sample(2, 3, Double.NaN, 1L));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingMask.sample(-1, 3, 0.5, 1L));
        assertThrows(NullPointerException.class, () -> TeacherForcingMask.sample(2, 3, 0.5, null));
    }

    /** Whether values[from..] hold both true and false. */
    private static boolean mixed(boolean[] values, int from) {
        boolean any = false;
        boolean all = true;
        for (int i = from; i < values.length; i++) {
            any |= values[i];
            all &= values[i];
        }
        return any && !all;
    }
}
