package dev.captioner.decoder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduledSamplingTest {
    private static final double EXACT = 1e-12;

    @Test
    void linearFallsByTheSlopeAndStopsAtTheFloor() {
        ScheduledSampling linear = ScheduledSampling.linear(1, 1e-4, 0.25);
        assertEquals(1.0, linear.teacherForcingProbability(0, 0), EXACT);
        assertEquals(1 - 1e-4 * 1000, linear.teacherForcingProbability(1000, 0), EXACT);   // 0.9
        assertEquals(0.5, linear.teacherForcingProbability(5000, 3), EXACT);
        assertEquals(0.25, linear.teacherForcingProbability(7500, 0), EXACT);              // reaches ε_min
        assertEquals(0.25, linear.teacherForcingProbability(7501, 0), EXACT);              // clamped
        assertEquals(0.25, linear.teacherForcingProbability(1_000_000, 9), EXACT);
        assertEquals(0.75, linear.samplingProbability(10_000, 0), EXACT);
    }

    @Test
    void linearWithAnOffsetAboveOneHoldsTeacherForcingFirst() {
        ScheduledSampling linear = ScheduledSampling.linear(1.5, 1e-3, 0);
        assertEquals(1.0, linear.teacherForcingProbability(0, 0), EXACT);
        assertEquals(1.0, linear.teacherForcingProbability(500, 0), EXACT);       // 1.5 − 0.5 = 1
        assertEquals(0.5, linear.teacherForcingProbability(1000, 0), EXACT);
        assertEquals(0.0, linear.teacherForcingProbability(2000, 0), EXACT);      // floor 0
    }

    @Test
    void exponentialIsKToTheStep() {
        ScheduledSampling half = ScheduledSampling.exponential(0.5);
        assertEquals(1.0, half.teacherForcingProbability(0, 0), EXACT);
        assertEquals(0.5, half.teacherForcingProbability(1, 0), EXACT);
        assertEquals(0.125, half.teacherForcingProbability(3, 7), EXACT);
        ScheduledSampling slow = ScheduledSampling.exponential(0.9999);
        assertEquals(0.9999, slow.teacherForcingProbability(1, 0), EXACT);
        assertEquals(0.9999 * 0.9999, slow.teacherForcingProbability(2, 0), EXACT);
        // 0.9999^10000 = exp(10000·ln 0.9999) ≈ e^-1.00005
        assertEquals(0.36786104643, slow.teacherForcingProbability(10_000, 0), 1e-10);
        assertEquals(0.0, half.teacherForcingProbability(Long.MAX_VALUE, 0), EXACT);
    }

    @Test
    void inverseSigmoidStartsAtKOverKPlusOneAndHalvesAtKLnK() {
        ScheduledSampling sigmoid = ScheduledSampling.inverseSigmoid(1000);
        assertEquals(1000.0 / 1001.0, sigmoid.teacherForcingProbability(0, 0), EXACT);
        assertEquals(1000.0 / (1000.0 + Math.E), sigmoid.teacherForcingProbability(1000, 0), EXACT);
        // ε = 0.5 where exp(i/k) = k, i.e. i = k·ln k = 6907.755...: straddled by the whole steps around it
        double halfWay = 1000 * Math.log(1000);
        assertEquals(6907.755278982137, halfWay, 1e-9);
        assertTrue(sigmoid.teacherForcingProbability(6907, 0) > 0.5);
        assertTrue(sigmoid.teacherForcingProbability(6908, 0) < 0.5);
        // the slope at the half-way point is −1/(4k), so the error of a quarter step is about 6e-5
        assertEquals(0.5, sigmoid.teacherForcingProbability(6908, 0), 6.2e-5);
        // k = 1 halves at i = 1·ln 1 = 0, exactly
        assertEquals(0.5, ScheduledSampling.inverseSigmoid(1).teacherForcingProbability(0, 0), EXACT);
        // far out, exp overflows to +inf: ε is 0, not NaN
        assertEquals(0.0, sigmoid.teacherForcingProbability(1_000_000_000L, 0), EXACT);
    }

    @Test
    void stepScheduleRaisesTheSamplingProbabilityEveryEEpochsUpToItsMaximum() {
        ScheduledSampling step = ScheduledSampling.step(0.05, 2, 0.25);
        double[] expected = {1, 1, 0.95, 0.95, 0.90, 0.90, 0.85, 0.85, 0.80, 0.80, 0.75, 0.75, 0.75, 0.75};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            assertEquals(expected[epoch], step.teacherForcingProbability(123_456, epoch), 1e-12, "epoch " + epoch);
        }
        assertEquals(0.75, step.teacherForcingProbability(0, 1000), 1e-12);
        assertEquals(0.25, step.samplingProbability(0, 1000), 1e-12);
        // the step count plays no part
        assertEquals(step.teacherForcingProbability(0, 4), step.teacherForcingProbability(9_999_999, 4), 0);
        // every epoch, up to always sampling
        ScheduledSampling fast = ScheduledSampling.parse("step:delta=0.5");
        assertEquals(1.0, fast.teacherForcingProbability(0, 0), EXACT);
        assertEquals(0.5, fast.teacherForcingProbability(0, 1), EXACT);
        assertEquals(0.0, fast.teacherForcingProbability(0, 2), EXACT);
        assertEquals(0.0, fast.teacherForcingProbability(0, 3), EXACT);
    }

    @Test
    void constantsAreTeacherForcingAndAlwaysSample() {
        assertEquals(1.0, ScheduledSampling.TEACHER_FORCING.teacherForcingProbability(1_000_000, 50), 0);
        assertEquals(0.0, ScheduledSampling.ALWAYS_SAMPLE.teacherForcingProbability(0, 0), 0);
        assertEquals(0.75, ScheduledSampling.constant(0.75).teacherForcingProbability(42, 1), 0);
        assertEquals(ScheduledSampling.TEACHER_FORCING, ScheduledSampling.constant(1));
    }

    @Test
    void decayingSchedulesNeverRiseAndStayProbabilities() {
        List<ScheduledSampling> schedules = List.of(
                ScheduledSampling.linear(1, 1e-5, 0.1),
                ScheduledSampling.exponential(0.9999),
                ScheduledSampling.inverseSigmoid(1000),
                ScheduledSampling.inverseSigmoid(1));
        for (ScheduledSampling schedule : schedules) {
            double previous = schedule.teacherForcingProbability(0, 0);
            for (long step = 97; step < 200_000; step += 97) {
                double eps = schedule.teacherForcingProbability(step, 0);
                assertTrue(eps <= previous, schedule + " rises at step " + step);
                assertTrue(eps >= 0 && eps <= 1, schedule + " leaves [0, 1] at step " + step);
                previous = eps;
            }
            assertTrue(previous < schedule.teacherForcingProbability(0, 0), schedule + " never falls");
        }
        ScheduledSampling step = ScheduledSampling.step(0.05, 1, 0.25);
        for (int epoch = 1; epoch < 20; epoch++) {
            assertTrue(step.teacherForcingProbability(0, epoch) <= step.teacherForcingProbability(0, epoch - 1));
        }
    }

    @Test
    void negativeStepsAndEpochsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.exponential(0.9).teacherForcingProbability(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.step(0.1, 1, 1).teacherForcingProbability(0, -1));
    }

    @Test
    void describeReadsWellInLogs() {
        assertEquals("inverse-sigmoid k=1000", ScheduledSampling.inverseSigmoid(1000).describe());
        assertEquals("linear k=1 c=0.0001 min=0.25", ScheduledSampling.linear(1, 1e-4, 0.25).describe());
        assertEquals("exponential k=0.9999", ScheduledSampling.exponential(0.9999).describe());
        assertEquals("step delta=0.05 every=1 max=0.25", ScheduledSampling.step(0.05, 1, 0.25).describe());
        assertEquals("teacher-forcing (eps=1)", ScheduledSampling.TEACHER_FORCING.describe());
        assertEquals("always-sample (eps=0)", ScheduledSampling.ALWAYS_SAMPLE.describe());
    }

    @Test
    void parsesTheCompactForms() {
        assertEquals(ScheduledSampling.linear(1, 1e-4, 0.25), ScheduledSampling.parse("linear:k=1,c=1e-4,min=0.25"));
        assertEquals(ScheduledSampling.exponential(0.9999), ScheduledSampling.parse("exponential:k=0.9999"));
        assertEquals(ScheduledSampling.inverseSigmoid(1000), ScheduledSampling.parse("inverse-sigmoid:k=1000"));
        ScheduledSampling floored = ScheduledSampling.parse("inverse-sigmoid:k=100,min=0.75");
        assertEquals(new ScheduledSampling.InverseSigmoid(100, 0.75), floored);
        assertEquals("inverse-sigmoid:k=100,min=0.75", floored.toString());
        assertEquals("inverse-sigmoid k=100 min=0.75", floored.describe());
        assertEquals(100.0 / 101, floored.teacherForcingProbability(0, 0), 1e-12);
        assertEquals(0.75, floored.teacherForcingProbability(10_000, 0), 1e-12); // Bengio's value is 0 there
        assertEquals(ScheduledSampling.step(0.05, 1, 0.25), ScheduledSampling.parse("step:delta=0.05,every=1,max=0.25"));
        assertSame(ScheduledSampling.TEACHER_FORCING, ScheduledSampling.parse("teacher-forcing"));
        assertSame(ScheduledSampling.ALWAYS_SAMPLE, ScheduledSampling.parse("always-sample"));
        assertEquals(ScheduledSampling.constant(0.75), ScheduledSampling.parse("constant:eps=0.75"));
        // defaults, order, case and spaces
        assertEquals(ScheduledSampling.linear(1, 2e-4, 0), ScheduledSampling.parse("linear:c=2e-4"));
        assertEquals(ScheduledSampling.linear(0.9, 1e-4, 0.1), ScheduledSampling.parse(" Linear: MIN=0.1 , c=.0001,k=0.90 "));
        assertEquals(ScheduledSampling.step(0.1, 1, 1), ScheduledSampling.parse("step:delta=0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear:k=1,c=1e-4,min=0.25", "linear:c=3e-5", "linear:k=0.8,c=1e-12,min=0",
            "exponential:k=0.9999", "exponential:k=0.123456789", "inverse-sigmoid:k=1000", "inverse-sigmoid:k=1",
            "inverse-sigmoid:k=2500.5", "step:delta=0.05,every=1,max=0.25", "step:delta=0.05,every=5",
            "constant:eps=0.3", "teacher-forcing", "always-sample", "constant:eps=1", "constant:eps=0"})
    void toStringRoundTripsThroughTheParser(String spec) {
        ScheduledSampling schedule = ScheduledSampling.parse(spec);
        String printed = schedule.toString();
        assertEquals(schedule, ScheduledSampling.parse(printed), printed);
        assertEquals(printed, ScheduledSampling.parse(printed).toString());
    }

    @Test
    void toStringIsTheCanonicalCompactForm() {
        assertEquals("linear:k=1,c=0.0001,min=0.25", ScheduledSampling.linear(1, 1e-4, 0.25).toString());
        assertEquals("linear:k=1,c=1.0E-12,min=0", ScheduledSampling.parse("linear:c=1e-12").toString());
        assertEquals("inverse-sigmoid:k=1000", ScheduledSampling.inverseSigmoid(1000).toString());
        assertEquals("step:delta=0.05,every=5,max=1", ScheduledSampling.parse("step:delta=0.05,every=5").toString());
        assertEquals("teacher-forcing", ScheduledSampling.constant(1).toString());
        assertEquals("always-sample", ScheduledSampling.parse("constant:eps=0").toString());
        assertEquals("constant:eps=0.3", ScheduledSampling.constant(0.3).toString());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "cosine", "cosine:k=1", ":k=1", "linear", "linear:", "linear:c", "linear:c=",
            "linear:=1", "linear:c=abc", "linear:c=-1", "linear:c=NaN", "linear:c=Infinity", "linear:c=0x1p3",
            "linear:c=1d", "linear:c=1e-4,c=2e-4", "linear:c=1e-4,foo=1", "linear:c=1e-4,", "linear:c=1e-4,min=1.5",
            "linear:c=1e999", "exponential", "exponential:k=1", "exponential:k=0", "exponential:k=1.5",
            "inverse-sigmoid:k=0.5", "inverse-sigmoid:k=0", "inverse-sigmoid:k=10,min=1.5", "step", "step:delta=0", "step:delta=1.5",
            "step:delta=0.05,every=0", "step:delta=0.05,every=1.5", "step:delta=0.05,every=-1",
            "step:delta=0.05,max=1.5", "teacher-forcing:k=1", "always-sample:eps=0", "constant",
            "constant:eps=2", "linear:c=1e-4\nmin=0.1", "linear;c=1e-4"})
    void badSpecsThrowOneLineMessages(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.parse(spec));
        String message = e.getMessage();
        assertTrue(message.startsWith("scheduled sampling '"), message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertTrue(message.contains("expected one of"), message);
    }

    @Test
    void badSpecMessagesNameTheProblem() {
        assertTrue(message("linear:k=1").contains("'c' is required"));
        assertTrue(message("linear:c=1e-4,foo=1").contains("has no parameter 'foo' (it takes k, c, min)"));
        assertTrue(message("exponential:k=1").contains("k must be in (0, 1), got 1.0"));
        assertTrue(message("cosine").contains("unknown schedule 'cosine'"));
        assertTrue(message("step:delta=0.05,every=1.5").contains("every='1.5' is not a whole number"));
        assertTrue(message("teacher-forcing:k=1").contains("'teacher-forcing' takes no parameters"));
    }

    @Test
    void factoriesValidateToo() {
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.linear(Double.NaN, 1e-4, 0));
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.linear(1, 1e-4, -0.1));
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.inverseSigmoid(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.constant(-0.01));
        assertEquals(ScheduledSampling.linear(1, 1e-4, 0), ScheduledSampling.linear(1, 1e-4, -0.0));
    }

    private static String message(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> ScheduledSampling.parse(spec)).getMessage();
    }
}
