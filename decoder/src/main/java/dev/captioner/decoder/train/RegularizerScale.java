package dev.captioner.decoder.train;

import java.util.Locale;

/**
 * What the doubly stochastic attention regulariser's sum {@code S = sum_b sum_l (1 - sum_t alpha_btl)^2} is
 * divided by, before λ weighs it against the cross-entropy (which is a mean over the batch's words):
 *
 * <ul>
 *   <li>{@link #IMAGE}: the batch size B. Per image it sums over all L locations: with L = 16 and about 9
 *       words it outweighs the per-word cross-entropy several times (the project's first form).
 *   <li>{@link #WORD}: the words of the batch. Xu et al. 2015 eq. 14 add λ S to the caption's
 *       <em>summed</em> negative log-likelihood; dividing both by the word count keeps their ratio.
 *   <li>{@link #LOCATION}: B·L, the mean over images and locations, as sgrvinod's PyTorch tutorial does.
 * </ul>
 */
public enum RegularizerScale {
    IMAGE, WORD, LOCATION;

    /** The option's spelling, e.g. {@code word}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code image}, {@code word} or {@code location}; a one-line message otherwise. */
    public static RegularizerScale parse(String text) {
        for (RegularizerScale value : values()) {
            if (value.word().equalsIgnoreCase(text.strip())) {
                return value;
            }
        }
        throw new IllegalArgumentException("regulariser scale '" + text + "': expected image, word or location");
    }
}
