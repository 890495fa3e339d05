package dev.captioner.pipeline.model;

import ai.djl.ndarray.NDArray;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.search.BeamSearch;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.decoder.search.Hypothesis;
import dev.captioner.decoder.search.SampledSearch;
import dev.captioner.decoder.search.SearchModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The one place where captioning chooses its search from {@link Captioner.Options}: greedy for a beam of
 * 1, batched beam search returning the n best for more, or sampling where asked; on one decoder or on the
 * mean of several ({@link dev.captioner.decoder.search.Ensemble}). What the search finds leaves it once,
 * as Java {@link Hypothesis} objects, and becomes {@link Caption}s here: no tensors in between.
 */
final class CaptionSearch {
    private final GreedySearch greedy;
    private final BeamSearch beam;
    private final SampledSearch sampled;
    private final SplittableRandom random;

    private CaptionSearch(GreedySearch greedy, BeamSearch beam, SampledSearch sampled, SplittableRandom random) {
        this.greedy = greedy;
        this.beam = beam;
        this.sampled = sampled;
        this.random = random;
    }

    /**
     * The search the options ask for. A sampling search draws from its own generator, seeded by the
     * options, so one captioner draws the same captions for the same images in the same batches.
     */
    static CaptionSearch of(Captioner.Options options) {
        Captioner.Sampling sampling = options.sampling();
        if (sampling != null) {
            SampledSearch sampled = SampledSearch.builder().setMaxLength(options.maxLength()).optTemperature(sampling.temperature())
                    .optTopK(sampling.topK()).build();
            return new CaptionSearch(null, null, sampled, new SplittableRandom(sampling.seed()));
        }
        if (options.beamSize() == 1 && options.nBest() == 1) {
            return new CaptionSearch(new GreedySearch(options.maxLength()), null, null, null);
        }
        BeamSearch beam = BeamSearch.builder().setBeamSize(options.beamSize()).setMaxLength(options.maxLength())
                .optNBest(options.nBest()).build();
        return new CaptionSearch(null, beam, null, null);
    }

    /** The captions of each image, best first: {@code grid} (B, L, D) (null where no model attends) and {@code pooled} (B, D). */
    List<List<Hypothesis>> run(SearchModel<?> model, NDArray grid, NDArray pooled) {
        if (beam != null) {
            return beam.search(model, grid, pooled).nBest();
        }
        List<Hypothesis> one = sampled != null ? sampled.sample(model, grid, pooled, random).captions()
                : greedy.decode(model, grid, pooled).captions();
        return one.stream().map(List::of).toList();
    }

    /**
     * Captions from what the search found for one image: word ids to words through the vocabulary, each
     * word's attention over the L locations to a {@code [rows][cols]} grid (none for a plain decoder).
     */
    static List<Caption> captions(List<Hypothesis> found, Vocabulary vocabulary, int gridRows, int gridCols) {
        List<Caption> captions = new ArrayList<>(found.size());
        for (Hypothesis hypothesis : found) {
            int[] ids = hypothesis.words();
            List<String> text = new ArrayList<>(ids.length);
            List<float[][]> grids = new ArrayList<>(ids.length);
            for (int t = 0; t < ids.length; t++) {
                text.add(vocabulary.word(ids[t]));
                float[] alpha = t < hypothesis.alphas().length ? hypothesis.alphas()[t] : null;
                if (alpha != null && alpha.length > 0) {
                    grids.add(grid(alpha, gridRows, gridCols));
                }
            }
            captions.add(new Caption(text, hypothesis.logProb(), grids));
        }
        return captions;
    }

    /** L weights, row by row, as {@code [rows][cols]}. */
    private static float[][] grid(float[] alpha, int gridRows, int gridCols) {
        if (alpha.length != gridRows * gridCols) {
            throw new IllegalStateException("attention over " + alpha.length + " locations does not fit a " + gridRows + "x" + gridCols
                    + " grid");
        }
        float[][] grid = new float[gridRows][gridCols];
        for (int r = 0; r < gridRows; r++) {
            System.arraycopy(alpha, r * gridCols, grid[r], 0, gridCols);
        }
        return grid;
    }
}
