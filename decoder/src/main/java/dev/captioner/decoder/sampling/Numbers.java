package dev.captioner.decoder.sampling;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Short decimal text for schedule parameters that reads back to the same double. */
final class Numbers {
    /** Plain non-negative decimals: {@code 1}, {@code 0.25}, {@code .5}, {@code 1e-4}; no sign, NaN or hex. */
    private static final Pattern DECIMAL = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");

    private Numbers() {
    }

    /**
     * The shortest text that parses back to {@code value}: plain ({@code 0.0001}, {@code 1000}) when short,
     * scientific ({@code 1.0E-12}) otherwise.
     */
    static String format(double value) {
        // BigDecimal.valueOf goes through Double.toString, the shortest decimal that rounds back to value.
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.length() <= 12 ? plain : Double.toString(value);
    }

    /** A decimal as {@link #DECIMAL} allows, or null. */
    static Double parseDecimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return null;
        }
        double value = Double.parseDouble(text);
        return Double.isFinite(value) ? value : null;
    }

    /** A whole number of at most 9 digits, or null. */
    static Integer parseWhole(String text) {
        return WHOLE.matcher(text).matches() ? Integer.valueOf(text) : null;
    }
}
