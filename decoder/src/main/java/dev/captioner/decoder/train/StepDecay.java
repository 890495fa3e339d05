package dev.captioner.decoder.train;

/**
 * Step decay: the rate is multiplied by γ every N epochs, down to a floor,
 *
 * <pre>
 *   lr(epoch) = max(lr_min, lr₀ · γ^⌊epoch / N⌋)
 * </pre>
 *
 * (ruotianluo's {@code learning_rate_decay_every / learning_rate_decay_rate}; torch's {@code StepLR}
 * plus a floor). Immutable; validation scores are ignored.
 *
 * <pre>{@code
 * StepDecay decay = LearningRateSchedule.stepDecay()
 *         .setInitialRate(4e-4).setGamma(0.8).setEvery(3)   // ×0.8 every 3 epochs
 *         .optMinRate(1e-6)                                 // default 0
 *         .build();
 * }</pre>
 */
public final class StepDecay implements LearningRateSchedule {
    private final double initialRate;
    private final double gamma;
    private final int every;
    private final double minRate;

    StepDecay(double initialRate, double gamma, int every, double minRate) {
        Rates.checkRate("the initial learning rate", initialRate);
        Rates.checkFactor(gamma);
        if (every < 1) {
            throw new IllegalArgumentException("the decay interval must be at least 1 epoch, got " + every);
        }
        Rates.checkMinRate(minRate);
        this.initialRate = initialRate;
        this.gamma = gamma;
        this.every = every;
        this.minRate = minRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double learningRate(int epoch) {
        Rates.checkEpoch(epoch);
        return Math.max(minRate, initialRate * Math.pow(gamma, epoch / every));
    }

    @Override
    public String describe() {
        return "step-decay lr=" + initialRate + " gamma=" + gamma + " every=" + every + " min=" + minRate;
    }

    @Override
    public String toString() {
        return describe();
    }

    public double initialRate() {
        return initialRate;
    }

    public double gamma() {
        return gamma;
    }

    public int every() {
        return every;
    }

    public double minRate() {
        return minRate;
    }

    /** {@code setInitialRate}, {@code setGamma} and {@code setEvery} are required; {@code optMinRate} defaults to 0. */
    public static final class Builder {
        private double initialRate = Double.NaN;
        private double gamma = Double.NaN;
        private int every = -1;
        private double minRate;

        Builder() {
        }

        /** lr₀ (&gt; 0). */
        public Builder setInitialRate(double initialRate) {
            this.initialRate = initialRate;
            return this;
        }

        /** γ, in (0, 1). */
        public Builder setGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** N, the epochs between decays (≥ 1). */
        public Builder setEvery(int every) {
            this.every = every;
            return this;
        }

        /** lr_min (≥ 0). */
        public Builder optMinRate(double minRate) {
            this.minRate = minRate;
            return this;
        }

        public StepDecay build() {
            if (Double.isNaN(initialRate) || Double.isNaN(gamma) || every == -1) {
                throw new IllegalStateException("setInitialRate, setGamma and setEvery are required");
            }
            return new StepDecay(initialRate, gamma, every, minRate);
        }
    }
}
