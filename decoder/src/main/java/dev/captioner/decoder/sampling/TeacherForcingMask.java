package dev.captioner.decoder.sampling;

import java.util.Objects;
import java.util.Random;

/**
 * The per-token coin flips of scheduled sampling (Bengio et al. 2015, section 2.4): for every caption b
 * of a batch and every input position t ≥ 1, feed the ground-truth token y_{t−1} with probability ε and
 * the model's own token ŷ_{t−1} otherwise. Position 0 always gets {@code <start>}, so it is always
 * "ground truth".
 *
 * <p>The mask is {@code mask[b][t]}, shape (B, T): {@code true} feeds the ground truth. It is drawn on the
 * Java side from the caller's {@link Random}, one {@code nextDouble()} per position t ≥ 1 in row-major
 * order, so a seed fixes the mask for given (B, T, ε), whatever the engine or thread count. The
 * decision carries no gradient: it is a boolean, made outside autograd.
 *
 * <pre>{@code
 * double eps = schedule.teacherForcingProbability(step, epoch);
 * boolean[][] feedTruth = TeacherForcingMask.sample(batch, length, eps, rng);   // (B, T)
 * }</pre>
 */
public final class TeacherForcingMask {
    private TeacherForcingMask() {
    }

    /**
     * Draws the (B, T) mask from {@code rng}: {@code mask[b][0]} is always true, and each
     * {@code mask[b][t]}, t ≥ 1, is true with probability {@code epsilon} ({@code nextDouble() < ε}, so
     * ε = 1 gives all true and ε = 0 none after position 0).
     *
     * @param batchSize B (≥ 0)
     * @param length    T, the input positions including {@code <start>} (≥ 0)
     * @param epsilon   ε, the teacher-forcing probability in [0, 1]
     * @param rng       the training run's seeded generator; advanced by B·(T − 1) draws
     */
    public static boolean[][] sample(int batchSize, int length, double epsilon, Random rng) {
        if (batchSize < 0 || length < 0) {
            throw new IllegalArgumentException("batch size and length must be at least 0, got " + batchSize + "x" + length);
        }
        if (!(epsilon >= 0.0 && epsilon <= 1.0)) {
            throw new IllegalArgumentException("the teacher-forcing probability must be in [0, 1], got " + epsilon);
        }
        Objects.requireNonNull(rng, "rng");
        boolean[][] mask = new boolean[batchSize][length]; // (B, T)
        for (boolean[] row : mask) {
            if (length > 0) {
                row[0] = true; // <start>
            }
            for (int t = 1; t < length; t++) {
                row[t] = rng.nextDouble() < epsilon;
            }
        }
        return mask;
    }

    /** {@link #sample(int, int, double, Random)} with a fresh {@code new Random(seed)}. */
    public static boolean[][] sample(int batchSize, int length, double epsilon, long seed) {
        return sample(batchSize, length, epsilon, new Random(seed));
    }

    /**
     * Column t of a mask: which captions of the batch get the ground truth at input position t, as the
     * decoder consumes it step by step. (B)
     */
    public static boolean[] column(boolean[][] mask, int t) {
        boolean[] column = new boolean[mask.length];
        for (int b = 0; b < mask.length; b++) {
            column[b] = mask[b][t];
        }
        return column;
    }

    /**
     * The share of positions t ≥ 1 that feed the ground truth, for logs: an estimate of ε. NaN when there
     * are no such positions.
     */
    public static double groundTruthFraction(boolean[][] mask) {
        long fed = 0;
        long total = 0;
        for (boolean[] row : mask) {
            for (int t = 1; t < row.length; t++) {
                total++;
                if (row[t]) {
                    fed++;
                }
            }
        }
        return total == 0 ? Double.NaN : (double) fed / total;
    }
}
