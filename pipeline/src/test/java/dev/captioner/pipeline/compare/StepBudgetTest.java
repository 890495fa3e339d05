package dev.captioner.pipeline.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.decoder.sampling.ScheduledSampling;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepBudgetTest {
    /** A plain model (0.1 s a step) and an attention model (0.3 s), 3 seeds, 8 validations, 625 steps an epoch. */
    private static final List<StepBudget.ModelCost> COSTS = List.of(new StepBudget.ModelCost(0.1, 2, 10),
            new StepBudget.ModelCost(0.3, 5, 30));
    private static final StepBudget.Plan PLAN = new StepBudget.Plan(3, 8, 625);

    @Test
    void theLargestStepCountWhosePredictionFitsTheRemainingBudget() {
        // per step: 3 × (0.1 + 2/625 + 0.3 + 5/625) = 1.2336 s; fixed: 3 × (8 × 2 + 10 + 8 × 5 + 30) = 288 s
        // available: 0.9 × (3000 − 100 − 20) = 2592 s; S = floor((2592 − 288) / 1.2336) = 1867
        assertEquals(1867, StepBudget.steps(3000, 100, COSTS, PLAN));
        assertEquals(288 + 1867 * 1.2336, StepBudget.seconds(1867, COSTS, PLAN), 1e-9);
        double available = StepBudget.SAFETY * (3000 - 100 - StepBudget.REPORT_SECONDS);
        assertTrue(StepBudget.seconds(1867, COSTS, PLAN) <= available);
        assertTrue(StepBudget.seconds(1868, COSTS, PLAN) > available);
    }

    @Test
    void moreSeedsOrTimeAlreadySpentMeanFewerSteps() {
        long three = StepBudget.steps(3000, 0, COSTS, PLAN);
        long five = StepBudget.steps(3000, 0, COSTS, new StepBudget.Plan(5, 8, 625));
        assertTrue(five < three && five > 0, three + " " + five);
        assertTrue(StepBudget.steps(3000, 600, COSTS, PLAN) < three);
    }

    @Test
    void noStepWhenTheFixedCostsAloneExceedTheBudget() {
        assertEquals(0, StepBudget.steps(300, 0, COSTS, PLAN), "0.9 × 280 s < 288 s of validations and tests");
        assertEquals(0, StepBudget.steps(10, 0, COSTS, PLAN), "less than the report's own time");
        assertEquals(0, StepBudget.steps(3000, 0, List.of(), PLAN));
    }

    @Test
    void costsAndPlansAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new StepBudget.ModelCost(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new StepBudget.ModelCost(0.1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new StepBudget.Plan(0, 8, 625));
    }

    @Test
    void theInverseSigmoidReachesItsFloorInTheMiddleOfTheRun() {
        for (long steps : new long[] {6, 900, 5000}) {
            String spec = StepBudget.inverseSigmoidFor(steps);
            ScheduledSampling schedule = ScheduledSampling.parse(spec);
            assertEquals(spec, schedule.toString(), "a canonical spec");
            assertTrue(schedule.teacherForcingProbability(0, 0) > 0.8, spec + " starts near teacher forcing");
            assertEquals(0.75, schedule.teacherForcingProbability(steps / 2, 0), 0.01, spec);
            assertEquals(0.75, schedule.teacherForcingProbability(steps, 0), 1e-12, spec + " stays at its floor");
        }
        assertEquals("inverse-sigmoid:k=121.56,min=0.75", StepBudget.inverseSigmoidFor(900));
        assertEquals("inverse-sigmoid:k=3,min=0.75", StepBudget.inverseSigmoidFor(0));
    }
}
