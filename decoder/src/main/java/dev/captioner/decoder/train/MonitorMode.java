package dev.captioner.decoder.train;

/**
 * Which way a monitored validation score improves: {@link #MAX} for CIDEr-D, BLEU and the like (the
 * default everywhere in this package), {@link #MIN} for a loss.
 */
public enum MonitorMode {
    MAX,
    MIN;

    /**
     * Whether {@code score} beats {@code best} by more than {@code threshold} (an absolute margin, ≥ 0).
     * Anything finite beats a {@code best} of NaN (nothing seen yet); a NaN score never improves.
     */
    public boolean improves(double score, double best, double threshold) {
        if (Double.isNaN(score)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return this == MAX ? score > best + threshold : score < best - threshold;
    }
}
