package dev.captioner.decoder;

import java.util.Locale;

/**
 * Where soft attention sits in a decoder step.
 *
 * <ul>
 *   <li>{@link #BEFORE_CELL}, "Show, Attend and Tell" (Xu et al. 2015): the query is h_{t-1} and the
 *       gated context z_t = β_t Σ α_ti a_i is part of the cell's input {@code [E y_{t-1}; z_t]}; the word
 *       is read from h_t. What the step attends to reaches the word only through the cell, so the model may
 *       gather an object at the adjectives and look elsewhere at its noun.
 *   <li>{@link #AFTER_CELL}, the spatial attention of "Knowing When to Look" (Lu et al. 2017, eq. 1-4,
 *       without the sentinel): the cell reads {@code E y_{t-1}} alone, the query is h_t, and the word is read
 *       from {@code h_t + W_z c_t}. The context feeds the very word being chosen, so a noun's map is where
 *       its evidence came from.
 * </ul>
 */
public enum AttentionPlacement {
    BEFORE_CELL, AFTER_CELL;

    /** The option's spelling, e.g. {@code before-cell}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code before-cell} or {@code after-cell}; a one-line message otherwise. */
    public static AttentionPlacement parse(String text) {
        for (AttentionPlacement value : values()) {
            if (value.word().equalsIgnoreCase(text.strip())) {
                return value;
            }
        }
        throw new IllegalArgumentException("attention placement '" + text + "': expected before-cell or after-cell");
    }
}
