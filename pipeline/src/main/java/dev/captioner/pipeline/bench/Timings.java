package dev.captioner.pipeline.bench;

import java.util.Arrays;

/** Order statistics of iteration times, with numpy's default linear interpolation between closest ranks. */
public final class Timings {
    private final double[] sortedMs;

    public Timings(double[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("no timed iterations");
        }
        this.sortedMs = ms.clone();
        Arrays.sort(sortedMs);
    }

    /** The q-quantile: pos = q (n - 1), x[floor] + (x[ceil] - x[floor]) (pos - floor). */
    public double quantile(double q) {
        double pos = q * (sortedMs.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sortedMs[lo] + (sortedMs[hi] - sortedMs[lo]) * (pos - lo);
    }

    public double median() {
        return quantile(0.5);
    }
}
