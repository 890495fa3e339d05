package dev.captioner.decoder.search;

import java.util.List;

/**
 * One caption per image, in the images' order: what greedy and sampled search return.
 *
 * @param captions the captions
 */
public record Captions(List<Hypothesis> captions) {
    public Captions {
        captions = List.copyOf(captions);
    }

    /** The word ids of each caption, without {@code <start>} and {@code <end>}. */
    public int[][] words() {
        return Hypothesis.words(captions);
    }

    /** alphas[b][t]: the weights over the L locations for word t of caption b (empty for plain decoders). */
    public float[][][] alphas() {
        return Hypothesis.alphas(captions);
    }
}
