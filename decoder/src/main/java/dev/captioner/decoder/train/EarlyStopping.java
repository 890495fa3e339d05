package dev.captioner.decoder.train;

import java.util.Objects;

/**
 * Early stopping on the validation score: stop once CIDEr-D (by default; {@link MonitorMode#MAX}) has
 * not improved by more than {@code minDelta} for {@code patience} evaluations in a row. It remembers the
 * best score and the training step it was reached at, so training can keep (or reload) that checkpoint.
 *
 * <pre>{@code
 * EarlyStopping stopping = EarlyStopping.builder().setPatience(5).build();
 * ...after each validation...
 * if (stopping.observe(ciderD, step)) { save the best checkpoint }
 * if (stopping.shouldStop()) { break; }
 * }</pre>
 *
 * A NaN score counts as no improvement. Stateful: one instance per training run.
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private final MonitorMode mode;

    private double best = Double.NaN;
    private long bestStep = -1;
    private int evaluations;
    private int sinceImprovement;

    EarlyStopping(int patience, double minDelta, MonitorMode mode) {
        if (patience < 1) {
            throw new IllegalArgumentException("the patience must be at least 1 evaluation, got " + patience);
        }
        if (!(minDelta >= 0 && minDelta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the minimum improvement must be a finite number at least 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records one validation.
     *
     * @param score the validation score
     * @param step  the training step it was measured after
     * @return whether it is a new best (by more than the minimum improvement)
     */
    public boolean observe(double score, long step) {
        evaluations++;
        if (mode.improves(score, best, minDelta)) {
            best = score;
            bestStep = step;
            sinceImprovement = 0;
            return true;
        }
        sinceImprovement++;
        return false;
    }

    /**
     * Puts back the state a checkpoint saved ({@link #bestScore}, {@link #bestStep},
     * {@link #evaluationsSinceImprovement}), so a resumed run stops where the uninterrupted one would.
     */
    public void restore(double bestScore, long bestStep, int sinceImprovement) {
        if (sinceImprovement < 0) {
            throw new IllegalArgumentException("evaluations since the best must be at least 0, got " + sinceImprovement);
        }
        this.best = bestScore;
        this.bestStep = bestStep;
        this.sinceImprovement = sinceImprovement;
    }

    /** Whether the last {@code patience} evaluations brought no improvement. */
    public boolean shouldStop() {
        return sinceImprovement >= patience;
    }

    /** The best score, or NaN before the first finite one. */
    public double bestScore() {
        return best;
    }

    /** The step of the best score, or -1 before the first. */
    public long bestStep() {
        return bestStep;
    }

    /** Evaluations since the best one (or since the start, before any). */
    public int evaluationsSinceImprovement() {
        return sinceImprovement;
    }

    /** All evaluations observed. */
    public int evaluations() {
        return evaluations;
    }

    public int patience() {
        return patience;
    }

    @Override
    public String toString() {
        return "EarlyStopping[patience=" + patience + ", minDelta=" + minDelta + ", mode=" + mode
                + ", best=" + best + " at step " + bestStep + ", " + sinceImprovement + " since]";
    }

    /** {@code setPatience} is required; {@code optMinDelta} defaults to 0 and {@code optMode} to MAX. */
    public static final class Builder {
        private int patience = -1;
        private double minDelta;
        private MonitorMode mode = MonitorMode.MAX;

        Builder() {
        }

        /** Evaluations without improvement before stopping (≥ 1). */
        public Builder setPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /** The absolute margin a score must beat the best by (≥ 0). */
        public Builder optMinDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        public Builder optMode(MonitorMode mode) {
            this.mode = mode;
            return this;
        }

        public EarlyStopping build() {
            if (patience == -1) {
                throw new IllegalStateException("setPatience is required");
            }
            return new EarlyStopping(patience, minDelta, mode);
        }
    }
}
