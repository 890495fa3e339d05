package dev.captioner.metrics;

/**
 * {@code np.mean} of a float64 vector as numpy computes it, so that corpus means agree to the last bit
 * where they can: numpy's add-reduce uses pairwise summation (blocks of up to 128 summed with eight
 * interleaved accumulators, larger arrays split in halves rounded to a multiple of 8), then divides by
 * the count. A plain left-to-right sum would differ from it by rounding only, about 1e-16 relative per
 * addition.
 */
final class NumpyMean {
    private static final int BLOCK = 128; // numpy's PW_BLOCKSIZE

    private NumpyMean() {}

    static double of(double[] values) {
        // the reduction starts from add's identity, 0, and adds the pairwise sum of all entries
        return (0.0 + pairwiseSum(values, 0, values.length)) / values.length;
    }

    /** numpy's {@code pairwise_sum_DOUBLE} (numpy/_core/src/umath/loops_utils.h.src). */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= BLOCK) {
            double r0 = a[from];
            double r1 = a[from + 1];
            double r2 = a[from + 2];
            double r3 = a[from + 3];
            double r4 = a[from + 4];
            double r5 = a[from + 5];
            double r6 = a[from + 6];
            double r7 = a[from + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[from + i];
                r1 += a[from + i + 1];
                r2 += a[from + i + 2];
                r3 += a[from + i + 3];
                r4 += a[from + i + 4];
                r5 += a[from + i + 5];
                r6 += a[from + i + 6];
                r7 += a[from + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
        }
    }
}
