package dev.captioner.pipeline.compare;

import java.util.List;

/**
 * Turns a wall-clock budget for a whole comparison into one number of training steps S that every run
 * takes, so that every model gets the same budget in steps and a run can be repeated exactly with
 * {@code --steps S}. With M models, n seeds, V validations per run and E steps an epoch, the comparison is
 * predicted to take
 *
 * <pre>
 *   T(S) = n · Σ_m [ S · (t_m + v_m / E) + V · v_m + e_m ]
 * </pre>
 *
 * where for model m, t_m is the seconds of one training step, v_m of one validation (captions of the
 * validation images, by the validation search) and e_m of the test evaluation (beam search over the test images), all measured by
 * calibration. The v_m / E term is the validation the trainer adds at each epoch end (at most S / E of
 * them). S is the largest whole number with T(S) ≤ {@link #SAFETY} × (budget − time already spent −
 * {@link #REPORT_SECONDS}).
 */
public final class StepBudget {
    /** The share of the remaining budget planned for: the rest absorbs noise in the measured times. */
    public static final double SAFETY = 0.9;
    /** Seconds kept for writing the report at the end (tables, charts, the HTML report's pictures). */
    public static final double REPORT_SECONDS = 20;

    private StepBudget() {}

    /**
     * What one model costs, in seconds.
     *
     * @param stepSeconds       one training step
     * @param validationSeconds one validation
     * @param testSeconds       the evaluation on the test split
     */
    public record ModelCost(double stepSeconds, double validationSeconds, double testSeconds) {
        public ModelCost {
            if (!(stepSeconds > 0) || !(validationSeconds >= 0) || !(testSeconds >= 0) || !Double.isFinite(stepSeconds)
                    || !Double.isFinite(validationSeconds) || !Double.isFinite(testSeconds)) {
                throw new IllegalArgumentException("costs must be finite, the step's positive, got " + stepSeconds + " s a step, "
                        + validationSeconds + " s a validation, " + testSeconds + " s a test evaluation");
            }
        }
    }

    /** The shape of a comparison: n seeds, V validations per run, E steps an epoch. */
    public record Plan(int seeds, int validations, long stepsPerEpoch) {
        public Plan {
            if (seeds < 1 || validations < 0 || stepsPerEpoch < 1) {
                throw new IllegalArgumentException("a plan needs at least 1 seed and 1 step an epoch, and no negative validations");
            }
        }
    }

    /**
     * The steps per run that fit the budget: the largest S with T(S) ≤ SAFETY × (budget − spent −
     * REPORT_SECONDS); 0 where not even one step fits.
     */
    public static long steps(double budgetSeconds, double spentSeconds, List<ModelCost> costs, Plan plan) {
        double available = SAFETY * (budgetSeconds - spentSeconds - REPORT_SECONDS);
        double perStep = 0;
        double fixed = 0;
        for (ModelCost cost : costs) {
            perStep += plan.seeds() * (cost.stepSeconds() + cost.validationSeconds() / plan.stepsPerEpoch());
            fixed += plan.seeds() * (plan.validations() * cost.validationSeconds() + cost.testSeconds());
        }
        if (costs.isEmpty() || available <= fixed) {
            return 0;
        }
        return (long) Math.floor((available - fixed) / perStep);
    }

    /** T(S): the predicted seconds of training, validating and evaluating every run. */
    public static double seconds(long steps, List<ModelCost> costs, Plan plan) {
        double total = 0;
        for (ModelCost cost : costs) {
            total += plan.seeds() * (steps * (cost.stepSeconds() + cost.validationSeconds() / plan.stepsPerEpoch())
                    + plan.validations() * cost.validationSeconds() + cost.testSeconds());
        }
        return total;
    }

    /** The floor of the sized schedule: at most a quarter of the words are the model's own. */
    public static final double SAMPLED_AT_MOST = 0.25;

    /**
     * The inverse sigmoid schedule sized to a run of {@code steps} steps, with a floor: ε_i = max(0.75,
     * k / (k + exp(i / k))). ε falls to its floor 0.75 at i = k·ln(k / 3), and k is chosen (at least 3,
     * two decimals) so that this is the middle of the run; e.g. {@code inverse-sigmoid:k=121.56,min=0.75}
     * for 900 steps. Why the floor: without it (ε = 1/2 at the middle, 1 % at the end) the first
     * comparison's scheduled-sampling runs were best after 115 of 918 steps and then got worse, fed
     * mostly their own words before they could caption (docs/results.md).
     */
    public static String inverseSigmoidFor(long steps) {
        double half = steps / 2.0;
        double floor = 1 - SAMPLED_AT_MOST;
        double ratio = floor / (1 - floor); // ε = floor where exp(i / k) = k / ratio
        double lo = ratio;
        double hi = Math.max(2 * ratio, half + ratio);
        for (int i = 0; i < 200; i++) { // k ln(k / ratio) rises from 0 at k = ratio
            double mid = (lo + hi) / 2;
            if (mid * Math.log(mid / ratio) < half) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double k = Math.max(ratio, Math.round(lo * 100) / 100.0);
        return "inverse-sigmoid:k=" + plain(k) + ",min=" + plain(floor);
    }

    private static String plain(double value) {
        return new java.math.BigDecimal(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
