package dev.captioner.pipeline.report;

import java.util.Collection;
import java.util.Locale;

/**
 * The mean and sample standard deviation of one score over runs (seeds). NaN values, scores that are
 * undefined for a run (grounding accuracy with nothing grounded), are left out, and {@code n} counts the
 * rest. The standard deviation divides by {@code n - 1} (numpy's {@code std(ddof=1)}) and is 0 for one
 * value; with no values both are NaN.
 */
public record MeanStd(double mean, double std, int n) {

    public static MeanStd of(double... values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new MeanStd(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new MeanStd(mean, n == 1 ? 0 : Math.sqrt(squares / (n - 1)), n);
    }

    public static MeanStd of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** {@code 0.412 ± 0.013} with {@code decimals} decimals; {@code 0.412} for one value, {@code –} for none. */
    public String format(int decimals) {
        if (n == 0) {
            return "–";
        }
        String m = number(mean, decimals);
        return n == 1 ? m : m + " ± " + number(std, decimals);
    }

    /**
     * As {@link #format(int)}, with {@code (n=k)} after it where it averages fewer runs than the
     * {@code rowSeeds} of its row (a run that lacked the score): {@code 0.412 ± 0.013 (n=2)}.
     */
    public String format(int decimals, int rowSeeds) {
        String text = format(decimals);
        return n > 0 && n < rowSeeds ? text + " (n=" + n + ")" : text;
    }

    /** Fixed decimals, a dot, never {@code -0.000}. */
    static String number(double value, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }
}
