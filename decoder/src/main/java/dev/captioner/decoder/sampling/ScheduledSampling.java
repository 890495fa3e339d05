package dev.captioner.decoder.sampling;

/**
 * How often training feeds the ground-truth previous word rather than the model's own: the
 * teacher-forcing probability ε_i as a function of the training step i (or of the epoch), after
 * Bengio, Vinyals, Jaitly and Shazeer, "Scheduled Sampling for Sequence Prediction with Recurrent Neural
 * Networks", NeurIPS 2015 (arXiv:1506.03099), section 2.4:
 *
 * <pre>
 *   linear           ε_i = max(ε_min, k − c·i)              0 ≤ ε_min ≤ 1, c ≥ 0   (clamped to ≤ 1)
 *   exponential      ε_i = k^i                              0 &lt; k &lt; 1
 *   inverse sigmoid  ε_i = max(ε_min, k / (k + exp(i / k))) k ≥ 1, 0 ≤ ε_min ≤ 1
 *   step             ε   = max(1 − s_max, 1 − Δ·⌊epoch / E⌋) the sampling probability 1 − ε rises by Δ
 *                                                           every E epochs up to s_max
 *   constant         ε   = p; teacher forcing is p = 1 (the default), "always sample" p = 0 (the ablation)
 * </pre>
 *
 * The step form is the epoch-based schedule of Vinyals et al.'s captioning entry and of ruotianluo's
 * {@code scheduled_sampling_increase_every/increase_prob/max_prob}; the first three are Bengio's.
 *
 * <p>This is policy only (STYLE.md principle 7): training asks the schedule for ε at each step and
 * hands it to the decoder, which knows nothing but "feed ground truth with probability ε". The per-token
 * coin flips are {@link TeacherForcingMask}'s, and how the model's own token is picked is
 * {@link SamplingMode}'s. As in the paper, no gradient flows through the choice: the fed token is an
 * index, so the loss at step t does not differentiate through the decision or the sampled word at
 * t − 1.
 *
 * <p>Every schedule is an immutable value. {@link #toString()} gives the compact command-line form and
 * {@link #parse} reads it back to an equal value:
 *
 * <pre>
 *   spec   := name [ ':' key '=' number { ',' key '=' number } ]
 *   linear:k=1,c=1e-4,min=0.25        k (default 1), c (required), min (default 0)
 *   exponential:k=0.9999              k (required)
 *   inverse-sigmoid:k=1000,min=0.75   k (required), min (default 0)
 *   step:delta=0.05,every=1,max=0.25  delta (required), every (whole epochs, default 1), max (default 1)
 *   constant:eps=0.75                 eps (required)
 *   teacher-forcing                   ε = 1
 *   always-sample                     ε = 0
 * </pre>
 *
 * Names and keys are case-insensitive; numbers are plain non-negative decimals ({@code 0.25},
 * {@code 1e-4}).
 */
public sealed interface ScheduledSampling {

    /** The default: always feed the ground truth (ε = 1). */
    ScheduledSampling TEACHER_FORCING = new Constant(1.0);

    /** The ablation: never feed the ground truth after {@code <start>} (ε = 0). */
    ScheduledSampling ALWAYS_SAMPLE = new Constant(0.0);

    /**
     * ε, the probability of feeding the ground-truth previous token at one position.
     *
     * @param step  i, the number of optimizer steps taken so far (≥ 0)
     * @param epoch the current epoch, counted from 0 (≥ 0); only {@link Step} reads it
     * @return a probability in [0, 1]
     */
    double teacherForcingProbability(long step, int epoch);

    /** 1 − ε: the probability of feeding the model's own previous token. */
    default double samplingProbability(long step, int epoch) {
        return 1.0 - teacherForcingProbability(step, epoch);
    }

    /** A short human-readable form for logs, e.g. {@code "inverse-sigmoid k=1000"}. */
    String describe();

    /**
     * Reads the compact command-line form (see the class javadoc).
     *
     * @throws IllegalArgumentException with a one-line message naming the problem and the accepted forms
     */
    static ScheduledSampling parse(String spec) {
        return ScheduledSamplingParser.parse(spec);
    }

    /** ε_i = max(min, k − c·i), clamped to at most 1. */
    static ScheduledSampling linear(double k, double c, double min) {
        return new Linear(k, c, min);
    }

    /** ε_i = k^i. */
    static ScheduledSampling exponential(double k) {
        return new Exponential(k);
    }

    /** ε_i = k / (k + exp(i / k)). */
    static ScheduledSampling inverseSigmoid(double k) {
        return new InverseSigmoid(k);
    }

    /** ε = max(1 − max, 1 − delta·⌊epoch / every⌋). */
    static ScheduledSampling step(double delta, int every, double max) {
        return new Step(delta, every, max);
    }

    /** ε = p at every step. */
    static ScheduledSampling constant(double p) {
        return new Constant(p);
    }

    /**
     * Bengio et al.'s linear decay: ε_i = max(ε_min, k − c·i). An offset k above 1 would keep full
     * teacher forcing for the first (k − 1)/c steps, so ε is also clamped to at most 1.
     *
     * @param k   the offset, ε at step 0 (≥ 0)
     * @param c   the slope per step (≥ 0)
     * @param min ε_min, the floor (in [0, 1])
     */
    record Linear(double k, double c, double min) implements ScheduledSampling {
        public Linear {
            k = nonNegative("linear", "k", k);
            c = nonNegative("linear", "c", c);
            min = probability("linear", "min", min);
        }

        @Override
        public double teacherForcingProbability(long step, int epoch) {
            checkStepAndEpoch(step, epoch);
            return Math.min(1.0, Math.max(min, k - c * step));
        }

        @Override
        public String describe() {
            return "linear k=" + Numbers.format(k) + " c=" + Numbers.format(c) + " min=" + Numbers.format(min);
        }

        @Override
        public String toString() {
            return "linear:k=" + Numbers.format(k) + ",c=" + Numbers.format(c) + ",min=" + Numbers.format(min);
        }
    }

    /**
     * Bengio et al.'s exponential decay: ε_i = k^i.
     *
     * @param k the base, in (0, 1); close to 1 for a slow decay (k = 0.9999 halves ε in about 6,900 steps)
     */
    record Exponential(double k) implements ScheduledSampling {
        public Exponential {
            if (!(k > 0.0 && k < 1.0)) {
                throw new IllegalArgumentException("exponential: k must be in (0, 1), got " + k);
            }
        }

        @Override
        public double teacherForcingProbability(long step, int epoch) {
            checkStepAndEpoch(step, epoch);
            return Math.pow(k, step);
        }

        @Override
        public String describe() {
            return "exponential k=" + Numbers.format(k);
        }

        @Override
        public String toString() {
            return "exponential:k=" + Numbers.format(k);
        }
    }

    /**
     * Bengio et al.'s inverse sigmoid decay: ε_i = k / (k + exp(i / k)). ε starts at k / (k + 1) and is
     * one half at i = k·ln k. An optional floor ε_min bounds how often the model is fed its own words, as
     * captioning practice does (at most 25 % sampled in ruotianluo's {@code scheduled_sampling_max_prob}):
     * a model fed mostly its own words before it can caption learns from its noise.
     *
     * @param k the scale (≥ 1): larger is slower
     * @param min ε_min, the floor (in [0, 1]; 0 is Bengio's schedule)
     */
    record InverseSigmoid(double k, double min) implements ScheduledSampling {
        public InverseSigmoid {
            if (!(k >= 1.0 && k < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("inverse-sigmoid: k must be at least 1, got " + k);
            }
            min = probability("inverse-sigmoid", "min", min);
        }

        /** Bengio's schedule, without a floor. */
        public InverseSigmoid(double k) {
            this(k, 0.0);
        }

        @Override
        public double teacherForcingProbability(long step, int epoch) {
            checkStepAndEpoch(step, epoch);
            // exp overflows to +inf for huge i: ε = 0 (or the floor), as it should
            return Math.max(min, k / (k + Math.exp(step / k)));
        }

        @Override
        public String describe() {
            return "inverse-sigmoid k=" + Numbers.format(k) + (min > 0 ? " min=" + Numbers.format(min) : "");
        }

        @Override
        public String toString() {
            return "inverse-sigmoid:k=" + Numbers.format(k) + (min > 0 ? ",min=" + Numbers.format(min) : "");
        }
    }

    /**
     * The epoch staircase: the sampling probability 1 − ε rises by {@code delta} every {@code every}
     * epochs, up to {@code max}; ε = max(1 − max, 1 − delta·⌊epoch / every⌋). Epoch 0 is pure teacher
     * forcing.
     *
     * @param delta Δ, the rise of the sampling probability per stair (in (0, 1])
     * @param every E, the epochs per stair (≥ 1)
     * @param max   the largest sampling probability (in [0, 1])
     */
    record Step(double delta, int every, double max) implements ScheduledSampling {
        public Step {
            if (!(delta > 0.0 && delta <= 1.0)) {
                throw new IllegalArgumentException("step: delta must be in (0, 1], got " + delta);
            }
            if (every < 1) {
                throw new IllegalArgumentException("step: every must be at least 1 epoch, got " + every);
            }
            max = probability("step", "max", max);
        }

        @Override
        public double teacherForcingProbability(long step, int epoch) {
            checkStepAndEpoch(step, epoch);
            return Math.max(1.0 - max, 1.0 - delta * (epoch / every));
        }

        @Override
        public String describe() {
            return "step delta=" + Numbers.format(delta) + " every=" + every + " max=" + Numbers.format(max);
        }

        @Override
        public String toString() {
            return "step:delta=" + Numbers.format(delta) + ",every=" + every + ",max=" + Numbers.format(max);
        }
    }

    /**
     * The same ε at every step: 1 is plain teacher forcing, 0 always feeds the model's own tokens.
     *
     * @param p ε, in [0, 1]
     */
    record Constant(double p) implements ScheduledSampling {
        public Constant {
            p = probability("constant", "eps", p);
        }

        @Override
        public double teacherForcingProbability(long step, int epoch) {
            checkStepAndEpoch(step, epoch);
            return p;
        }

        @Override
        public String describe() {
            if (p == 1.0) {
                return "teacher-forcing (eps=1)";
            }
            return p == 0.0 ? "always-sample (eps=0)" : "constant eps=" + Numbers.format(p);
        }

        @Override
        public String toString() {
            if (p == 1.0) {
                return "teacher-forcing";
            }
            return p == 0.0 ? "always-sample" : "constant:eps=" + Numbers.format(p);
        }
    }

    private static void checkStepAndEpoch(long step, int epoch) {
        if (step < 0 || epoch < 0) {
            throw new IllegalArgumentException("step and epoch must be at least 0, got step " + step + ", epoch " + epoch);
        }
    }

    private static double nonNegative(String name, String key, double value) {
        if (!(value >= 0.0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + ": " + key + " must be a finite number at least 0, got " + value);
        }
        return value + 0.0; // -0.0 becomes 0.0, so equal schedules print and compare equal
    }

    private static double probability(String name, String key, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + ": " + key + " must be in [0, 1], got " + value);
        }
        return value + 0.0;
    }
}
