package dev.captioner.decoder.model;

import ai.djl.ndarray.NDArray;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.search.GreedySearch;

/**
 * The one place where {@link Captioner} chooses its search from {@link Captioner.Options}: greedy for a
 * beam of 1, the only search there is so far.
 */
final class CaptionSearch {
    private final GreedySearch greedy;
    private final int maxLength;

    private CaptionSearch(int maxLength) {
        this.greedy = new GreedySearch(maxLength);
        this.maxLength = maxLength;
    }

    /**
     * The search the options ask for.
     *
     * @throws IllegalArgumentException for a beam wider than 1, until beam search is plugged in
     */
    static CaptionSearch of(Captioner.Options options) {
        if (options.beamSize() > 1 || options.nBest() > 1) {
            // BeamSearch plugs in here: build dev.captioner.decoder.search.BeamSearch from beamSize, nBest and
            // maxLength, and have run() return its n best per image (words, alphas, log-probabilities) as
            // Hypotheses; nothing downstream (the block, the translator, CaptionResult) needs to change.
            throw new IllegalArgumentException("beam size " + options.beamSize() + " with " + options.nBest()
                    + " best: beam search is not available yet; use beam size 1 (greedy)");
        }
        return new CaptionSearch(options.maxLength());
    }

    int maxLength() {
        return maxLength;
    }

    /** Captions for a batch: {@code grid} (B, L, D) (null for a plain decoder) and {@code pooled} (B, D). */
    Hypotheses run(CaptionDecoder decoder, NDArray grid, NDArray pooled) {
        GreedySearch.Result result = greedy.decode(decoder, grid, pooled);
        int b = result.words().length;
        boolean[] ended = new boolean[b];
        for (int i = 0; i < b; i++) {
            ended[i] = result.words()[i].length < maxLength; // greedy stops a caption at <end> or at maxLength words
        }
        float[] scores = SequenceScorer.logProbs(decoder, grid, pooled, result.words(), ended);
        int[][][] words = new int[b][][];
        float[][][][] alphas = new float[b][][][];
        float[][] logProbs = new float[b][];
        for (int i = 0; i < b; i++) {
            words[i] = new int[][] {result.words()[i]};
            alphas[i] = new float[][][] {result.alphas()[i]};
            logProbs[i] = new float[] {scores[i]};
        }
        return new Hypotheses(words, alphas, logProbs);
    }
}
