package dev.captioner.decoder;

import java.util.Locale;

/**
 * Where the decoder's first state h_0 (and c_0) comes from.
 *
 * <ul>
 *   <li>{@link #POOLED}: {@code h_0 = tanh(W_h mean_i a_i + b_h)}, as in Xu et al. 2015 section 3.1.2 and
 *       Vinyals et al. (through the pooled vector). The decoder then knows the whole scene before it looks.
 *   <li>{@link #LEARNED}: {@code h_0 = tanh(b_h)}, one learned vector for every image: what the decoder
 *       knows of this image it must read through attention.
 *   <li>{@link #ZERO}: {@code h_0 = c_0 = 0}.
 * </ul>
 *
 * <p>The plain decoder sees the image only through h_0, so it always starts from {@link #POOLED}.
 */
public enum InitialState {
    POOLED, LEARNED, ZERO;

    /** The option's spelling, e.g. {@code pooled}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code pooled}, {@code learned} or {@code zero}; a one-line message otherwise. */
    public static InitialState parse(String text) {
        for (InitialState value : values()) {
            if (value.word().equalsIgnoreCase(text.strip())) {
                return value;
            }
        }
        throw new IllegalArgumentException("initial state '" + text + "': expected pooled, learned or zero");
    }
}
