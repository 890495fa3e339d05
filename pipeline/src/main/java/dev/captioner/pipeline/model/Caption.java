package dev.captioner.pipeline.model;

import java.util.List;

/**
 * One caption of an image.
 *
 * @param words     the words, without {@code <start>} and {@code <end>}
 * @param logProb   natural log of the caption's probability under the model, {@code <end>} included where
 *                  the search emitted it (a caption cut at the maximum length has none)
 * @param attention per word, the attention over the encoder's grid when it was chosen, as
 *                  {@code [rows][cols]} (the grid covers the centre crop the encoder saw); empty for a
 *                  plain decoder
 */
public record Caption(List<String> words, double logProb, List<float[][]> attention) {

    public Caption {
        words = List.copyOf(words);
        attention = List.copyOf(attention);
    }

    /** The words joined by spaces. */
    public String text() {
        return String.join(" ", words);
    }
}
