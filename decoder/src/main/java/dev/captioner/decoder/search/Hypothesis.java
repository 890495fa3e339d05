package dev.captioner.decoder.search;

import java.util.List;

/**
 * One caption a search found.
 *
 * @param words the word ids, without {@code <start>} and {@code <end>}
 * @param alphas the attention weights over the L locations for each word, {@code alphas[t]} for
 *     {@code words[t]}; each empty where the model does not attend or alphas were not kept
 * @param logProb log p(caption | image): the sum of the log-probabilities of every token emitted, the
 *     {@code <end>} token included where it was emitted
 * @param score the score the search ranks by: {@code logProb} normalised for length where the search
 *     normalises ({@link LengthNormalization}), else {@code logProb}
 * @param finished whether the caption ended with {@code <end>}; false for one cut at the maximum length
 */
public record Hypothesis(int[] words, float[][] alphas, double logProb, double score, boolean finished) {

    /** The number of tokens scored: the words, and {@code <end>} where the caption finished. */
    public int length() {
        return words.length + (finished ? 1 : 0);
    }

    static int[][] words(List<Hypothesis> captions) {
        int[][] words = new int[captions.size()][];
        for (int i = 0; i < words.length; i++) {
            words[i] = captions.get(i).words();
        }
        return words;
    }

    static float[][][] alphas(List<Hypothesis> captions) {
        float[][][] alphas = new float[captions.size()][][];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = captions.get(i).alphas();
        }
        return alphas;
    }
}
