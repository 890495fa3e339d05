package dev.captioner.decoder.train;

/**
 * The learning rate as a small object that training consults (STYLE.md principle 7): before each epoch
 * training asks {@link #learningRate(int)}, and after each validation it reports the score with
 * {@link #observe(double)}. Schedules that only depend on the epoch ignore the scores.
 *
 * <p>DJL's optimizers read their rate from a {@link ai.djl.training.tracker.Tracker}; a
 * {@link LearningRateTracker} is one whose value the schedule sets:
 *
 * <pre>{@code
 * LearningRateSchedule schedule = LearningRateSchedule.reduceOnPlateau().setInitialRate(4e-4).build();
 * LearningRateTracker rate = new LearningRateTracker(schedule.learningRate(0));
 * Optimizer adam = Optimizer.adam().optLearningRateTracker(rate).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     schedule.applyTo(rate, epoch);            // Adam reads the new rate at its next update
 *     ... train one epoch ...
 *     schedule.observe(validationCiderD);
 * }
 * }</pre>
 *
 * Implementations: {@link #constant(double)}, {@link StepDecay} ({@link #stepDecay()}) and
 * {@link ReduceOnPlateau} ({@link #reduceOnPlateau()}).
 */
public interface LearningRateSchedule {

    /**
     * The rate to train epoch {@code epoch} (counted from 0) with, given the scores observed so far.
     */
    double learningRate(int epoch);

    /** Reports a validation score (CIDEr-D unless the schedule was built otherwise). Default: ignored. */
    default void observe(double validationScore) {
    }

    /** A short human-readable form for logs, e.g. {@code "step-decay lr=0.0004 gamma=0.8 every=3"}. */
    String describe();

    /** Sets {@code tracker} to the rate for {@code epoch} and returns that rate. */
    default double applyTo(LearningRateTracker tracker, int epoch) {
        double rate = learningRate(epoch);
        tracker.set(rate);
        return rate;
    }

    /** The same rate for every epoch. */
    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    /** lr(epoch) = max(min, lr₀·γ^⌊epoch / N⌋). */
    static StepDecay.Builder stepDecay() {
        return StepDecay.builder();
    }

    /** Multiply by γ when the validation score stops improving. */
    static ReduceOnPlateau.Builder reduceOnPlateau() {
        return ReduceOnPlateau.builder();
    }

    /**
     * A fixed rate.
     *
     * @param rate the learning rate (&gt; 0)
     */
    record Constant(double rate) implements LearningRateSchedule {
        public Constant {
            Rates.checkRate("the learning rate", rate);
        }

        @Override
        public double learningRate(int epoch) {
            Rates.checkEpoch(epoch);
            return rate;
        }

        @Override
        public String describe() {
            return "constant lr=" + rate;
        }
    }
}
