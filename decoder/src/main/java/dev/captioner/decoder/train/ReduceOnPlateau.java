package dev.captioner.decoder.train;

import java.util.Objects;

/**
 * Reduce on plateau: when the monitored validation score (CIDEr-D, so {@link MonitorMode#MAX} by
 * default) has not improved by more than {@code threshold} for {@code patience} evaluations in a row,
 * multiply the rate by γ, down to a floor, and start counting again:
 *
 * <pre>
 *   improved  ⇔  score &gt; best + threshold           (MIN: score &lt; best − threshold)
 *   after `patience` evaluations without improvement:  lr ← max(lr_min, γ·lr)
 * </pre>
 *
 * The threshold is absolute (CIDEr-D moves in hundredths). Unlike torch's {@code ReduceLROnPlateau},
 * which reduces on the (patience + 1)-th bad evaluation, this one reduces on the patience-th, the same
 * count {@link EarlyStopping} uses; there is no cooldown. A NaN score counts as no improvement.
 *
 * <p>Stateful: one instance per training run, consulted from the training thread.
 * {@link #learningRate(int)} returns the current rate whatever the epoch.
 *
 * <pre>{@code
 * ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau()
 *         .setInitialRate(4e-4)
 *         .optFactor(0.5).optPatience(3)      // defaults
 *         .optThreshold(0.001).optMinRate(1e-6)
 *         .build();
 * }</pre>
 */
public final class ReduceOnPlateau implements LearningRateSchedule {
    private final double initialRate;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final double minRate;
    private final MonitorMode mode;

    private double rate;
    private double best = Double.NaN;
    private int badEvaluations;
    private int reductions;

    ReduceOnPlateau(double initialRate, double factor, int patience, double threshold, double minRate, MonitorMode mode) {
        Rates.checkRate("the initial learning rate", initialRate);
        Rates.checkFactor(factor);
        if (patience < 1) {
            throw new IllegalArgumentException("the patience must be at least 1 evaluation, got " + patience);
        }
        if (!(threshold >= 0 && threshold < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the threshold must be a finite number at least 0, got " + threshold);
        }
        Rates.checkMinRate(minRate);
        this.initialRate = initialRate;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.minRate = minRate;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.rate = initialRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The current rate; the epoch plays no part. */
    @Override
    public double learningRate(int epoch) {
        Rates.checkEpoch(epoch);
        return rate;
    }

    @Override
    public void observe(double validationScore) {
        if (mode.improves(validationScore, best, threshold)) {
            best = validationScore;
            badEvaluations = 0;
            return;
        }
        badEvaluations++;
        if (badEvaluations >= patience) {
            rate = Math.max(minRate, rate * factor);
            reductions++;
            badEvaluations = 0;
        }
    }

    /**
     * Puts back the state a checkpoint saved ({@link #currentRate}, {@link #bestScore},
     * {@link #evaluationsSinceImprovement}), so a resumed run cuts the rate when the uninterrupted one would.
     */
    public void restore(double currentRate, double bestScore, int sinceImprovement) {
        Rates.checkRate("the restored learning rate", currentRate);
        if (sinceImprovement < 0) {
            throw new IllegalArgumentException("evaluations since the best must be at least 0, got " + sinceImprovement);
        }
        this.rate = currentRate;
        this.best = bestScore;
        this.badEvaluations = sinceImprovement;
    }

    /** The current rate. */
    public double currentRate() {
        return rate;
    }

    /** The best score seen, or NaN before the first finite one. */
    public double bestScore() {
        return best;
    }

    /** Evaluations since the last improvement or reduction. */
    public int evaluationsSinceImprovement() {
        return badEvaluations;
    }

    /** How many times the rate has been cut. */
    public int reductions() {
        return reductions;
    }

    @Override
    public String describe() {
        return "reduce-on-plateau lr=" + initialRate + " factor=" + factor + " patience=" + patience
                + " threshold=" + threshold + " min=" + minRate + " mode=" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return describe() + " (now lr=" + rate + ", best=" + best + ")";
    }

    /**
     * {@code setInitialRate} is required. Defaults: factor 0.5, patience 3, threshold 0, minimum rate 0,
     * mode {@link MonitorMode#MAX}.
     */
    public static final class Builder {
        private double initialRate = Double.NaN;
        private double factor = 0.5;
        private int patience = 3;
        private double threshold;
        private double minRate;
        private MonitorMode mode = MonitorMode.MAX;

        Builder() {
        }

        /** lr₀ (&gt; 0). */
        public Builder setInitialRate(double initialRate) {
            this.initialRate = initialRate;
            return this;
        }

        /** γ, in (0, 1). */
        public Builder optFactor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Evaluations without improvement before a cut (≥ 1). */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /** The absolute margin a score must beat the best by to count as an improvement (≥ 0). */
        public Builder optThreshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** lr_min (≥ 0). */
        public Builder optMinRate(double minRate) {
            this.minRate = minRate;
            return this;
        }

        public Builder optMode(MonitorMode mode) {
            this.mode = mode;
            return this;
        }

        public ReduceOnPlateau build() {
            if (Double.isNaN(initialRate)) {
                throw new IllegalStateException("setInitialRate is required");
            }
            return new ReduceOnPlateau(initialRate, factor, patience, threshold, minRate, mode);
        }
    }
}
