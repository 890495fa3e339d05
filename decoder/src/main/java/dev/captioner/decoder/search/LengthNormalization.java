package dev.captioner.decoder.search;

import java.util.Locale;

/**
 * How a beam search compares captions of different lengths. A caption's score is its log-probability
 * divided by a length penalty lp(|Y|), |Y| being the number of tokens scored ({@link Hypothesis#length()}):
 *
 * <ul>
 *   <li>{@link #none()}: lp = 1, the plain log-probability (favours short captions);
 *   <li>{@link #wu(double)}: lp = ((5 + |Y|) / 6)^alpha, Wu et al. 2016 ("Google's Neural Machine
 *       Translation System", eq. 14; alpha in [0.6, 0.7] there); alpha = 0 is none;
 *   <li>{@link #mean()}: lp = |Y|, the mean log-probability per token.
 * </ul>
 *
 * <p>Every lp is positive and does not decrease with length. Log-probabilities are at most 0 and only
 * fall as a caption grows, so a live beam of log-probability s can at best reach s / lp(maxLength):
 * the bound a search stops on ({@link #bound}).
 */
public final class LengthNormalization {
    private enum Kind { NONE, WU, MEAN }

    private static final LengthNormalization NONE = new LengthNormalization(Kind.NONE, 0);
    private static final LengthNormalization MEAN = new LengthNormalization(Kind.MEAN, 0);

    private final Kind kind;
    private final double alpha;

    private LengthNormalization(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    /** No normalisation: the score is the log-probability. */
    public static LengthNormalization none() {
        return NONE;
    }

    /** Wu et al. 2016: lp = ((5 + |Y|) / 6)^alpha, alpha at least 0. */
    public static LengthNormalization wu(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("the length penalty alpha must be a finite number at least 0, got " + alpha);
        }
        return new LengthNormalization(Kind.WU, alpha);
    }

    /** The mean log-probability per token: lp = |Y|. */
    public static LengthNormalization mean() {
        return MEAN;
    }

    /** lp(length), for a length of at least 1. */
    public double penalty(int length) {
        return switch (kind) {
            case NONE -> 1;
            case WU -> Math.pow((5.0 + length) / 6.0, alpha);
            case MEAN -> length;
        };
    }

    /** The score of a caption: logProb / lp(length). */
    public double score(double logProb, int length) {
        return logProb / penalty(length);
    }

    /** The best score a live caption of log-probability {@code logProb} (at most 0) can still reach. */
    double bound(double logProb, int maxLength) {
        return logProb / penalty(maxLength);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case WU -> String.format(Locale.ROOT, "wu(%s)", alpha);
            case MEAN -> "mean";
        };
    }
}
