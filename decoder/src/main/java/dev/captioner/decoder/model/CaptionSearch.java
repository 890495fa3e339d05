package dev.captioner.decoder.model;

import ai.djl.ndarray.NDArray;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.search.BeamSearch;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.decoder.search.Hypothesis;
import java.util.List;

/**
 * The one place where {@link Captioner} chooses its search from {@link Captioner.Options}: greedy for a
 * beam of 1, otherwise batched beam search returning the n best captions of each image.
 */
final class CaptionSearch {
    private final GreedySearch greedy;
    private final BeamSearch beam;
    private final int maxLength;

    private CaptionSearch(GreedySearch greedy, BeamSearch beam, int maxLength) {
        this.greedy = greedy;
        this.beam = beam;
        this.maxLength = maxLength;
    }

    /**
     * The search the options ask for.
     *
     * @throws IllegalArgumentException with one line, for settings the searches refuse (n-best above the beam size)
     */
    static CaptionSearch of(Captioner.Options options) {
        if (options.beamSize() == 1 && options.nBest() == 1) {
            return new CaptionSearch(new GreedySearch(options.maxLength()), null, options.maxLength());
        }
        BeamSearch beam = BeamSearch.builder().setBeamSize(options.beamSize()).setMaxLength(options.maxLength())
                .optNBest(options.nBest()).build();
        return new CaptionSearch(null, beam, options.maxLength());
    }

    int maxLength() {
        return maxLength;
    }

    /** Captions for a batch: {@code grid} (B, L, D) (null for a plain decoder) and {@code pooled} (B, D). */
    Hypotheses run(CaptionDecoder decoder, NDArray grid, NDArray pooled) {
        List<List<Hypothesis>> found = beam == null
                ? greedy.decode(decoder, grid, pooled).captions().stream().map(List::of).toList()
                : beam.search(decoder, grid, pooled).nBest();
        int b = found.size();
        int[][][] words = new int[b][][];
        float[][][][] alphas = new float[b][][][];
        float[][] logProbs = new float[b][];
        for (int i = 0; i < b; i++) {
            List<Hypothesis> image = found.get(i);
            words[i] = new int[image.size()][];
            alphas[i] = new float[image.size()][][];
            logProbs[i] = new float[image.size()];
            for (int j = 0; j < image.size(); j++) {
                words[i][j] = image.get(j).words();
                alphas[i][j] = image.get(j).alphas();
                logProbs[i][j] = (float) image.get(j).logProb();
            }
        }
        return new Hypotheses(words, alphas, logProbs);
    }
}
