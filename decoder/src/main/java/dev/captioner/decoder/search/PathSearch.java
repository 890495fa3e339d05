package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loop that greedy decoding and sampling share: one caption per image, one row per image, batched
 * over the images. At every step each unfinished caption takes one next word (a {@link Chooser}
 * decides which) until {@code <end>} or the maximum length.
 */
final class PathSearch {

    /** Picks one next word per row from the log-probabilities. */
    interface Chooser {
        /**
         * @param logProbs (R, V), in a scope that closes after the step
         * @return the chosen word of each row and its log-probability
         */
        Choice choose(NDArray logProbs);
    }

    /** The words chosen at one step (R) and their log-probabilities (R). */
    record Choice(long[] words, float[] logProbs) {}

    private PathSearch() {}

    /**
     * Decodes n images.
     *
     * @param minLength the fewest words a caption may have: {@code <end>} is banned at the steps before
     * @param keepAlphas whether to read back the attention weights of every word
     */
    static <S> List<Hypothesis> run(SearchModel<S> model, NDArray grid, NDArray pooled, Chooser chooser, int maxLength,
            int minLength, boolean keepAlphas) {
        int n = Searches.imageCount(pooled);
        int[] rowImage = new int[n]; // the image of each row; rows of finished images are dropped now and then
        for (int i = 0; i < n; i++) {
            rowImage[i] = i;
        }
        int[][] words = new int[n][maxLength];
        float[][][] alphas = new float[n][maxLength][];
        int[] lengths = new int[n];
        double[] logProbs = new double[n];
        boolean[] finished = new boolean[n];
        int open = n;
        try (ScopedState<S> states = new ScopedState<>(model, pooled.getManager())) {
            ParameterStore ps = new ParameterStore(states.root(), false);
            try (NDManager scope = states.open(grid, pooled)) {
                states.commit(scope, model.start(ps, grid, pooled));
            }
            long[] previous = new long[n];
            Arrays.fill(previous, Vocabulary.START_ID);
            for (int t = 0; t < maxLength && open > 0; t++) {
                try (NDManager scope = states.open()) {
                    NDArray tokens = scope.create(previous); // (R)
                    SearchModel.Next<S> out = model.step(ps, states.state(), tokens, t < minLength);
                    Choice choice = chooser.choose(out.logProbs());
                    float[] alpha = keepAlphas && out.alpha() != null ? out.alpha().toFloatArray() : null; // (R * L)
                    int rows = rowImage.length;
                    int locations = alpha == null ? 0 : alpha.length / rows;
                    int endedRows = 0;
                    for (int r = 0; r < rows; r++) {
                        int image = rowImage[r];
                        if (finished[image]) {
                            endedRows++;
                            continue;
                        }
                        long word = choice.words()[r];
                        logProbs[image] += choice.logProbs()[r];
                        if (word == Vocabulary.END_ID) {
                            finished[image] = true;
                            open--;
                            endedRows++;
                            continue;
                        }
                        words[image][lengths[image]] = (int) word;
                        alphas[image][lengths[image]] = alpha == null ? new float[0]
                                : Arrays.copyOfRange(alpha, r * locations, (r + 1) * locations);
                        lengths[image]++;
                    }
                    previous = choice.words();
                    if (t + 1 == maxLength || open == 0) {
                        break;
                    }
                    S next = out.state();
                    if (Searches.worthCompacting(endedRows, rows)) {
                        int[] keep = new int[rows - endedRows];
                        int k = 0;
                        for (int r = 0; r < rows; r++) {
                            if (!finished[rowImage[r]]) {
                                keep[k++] = r;
                            }
                        }
                        next = model.select(next, scope.create(Searches.toLongs(keep))); // (R')
                        int[] images = new int[keep.length];
                        long[] kept = new long[keep.length];
                        for (int i = 0; i < keep.length; i++) {
                            images[i] = rowImage[keep[i]];
                            kept[i] = previous[keep[i]];
                        }
                        rowImage = images;
                        previous = kept;
                    }
                    states.commit(scope, next);
                }
            }
        }
        List<Hypothesis> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            captions.add(new Hypothesis(Arrays.copyOf(words[i], lengths[i]), Arrays.copyOf(alphas[i], lengths[i]), logProbs[i],
                    logProbs[i], finished[i]));
        }
        return captions;
    }
}
