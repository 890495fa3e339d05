package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search (e.g. Sutskever et al. 2014; Vinyals et al. 2015 for captions), batched over images: the
 * search keeps the K most likely partial captions (beams) of each image and extends them a word at a
 * time. n images run together as R = n K rows, the K rows of an image adjacent (row i K + k is beam k
 * of image i), one model step for all rows per step.
 *
 * <p>At step t, with s_k the log-probability of beam k so far:
 *
 * <pre>
 *   candidates(k, w) = s_k + log p(w | beam k, image)       (K V per image, one top-k over them)
 *   t = 0: only beam 0 is live (all K rows are the same); the others start at s = -inf
 * </pre>
 *
 * The 2K best candidates are read back in order. A candidate ending in {@code <end>} and ranked among
 * the first K is set aside as a finished caption (Wu et al. 2016 and fairseq do the same); the others
 * fill the K beams, in order, until K are live. Each image's rows are then reordered to their source
 * beams. Finished captions are ranked by score, their log-probability normalised for length
 * ({@link LengthNormalization}); live beams by log-probability.
 *
 * <p>An image is done when it holds its n-best finished captions and no live beam can still beat the
 * n-th of them: a live beam's score can at best reach s / lp(maxLength) (log-probabilities only fall).
 * The rows of done images are dropped once they are a quarter of the rows. The search ends when every
 * image is done, or after the maximum length. An image left short of n finished captions then takes
 * its best live beams, flagged unfinished ({@link Hypothesis#finished()} false), after its finished
 * ones: the search never fails for want of an {@code <end>}.
 *
 * <p>Per step only the 2K candidate scores and ids of each image, and the alphas where kept, are read
 * back; the token histories are back-pointers on the Java side.
 */
public final class BeamSearch {
    private final int beamSize;
    private final int maxLength;
    private final int minLength;
    private final int nBest;
    private final LengthNormalization normalization;
    private final boolean keepAlphas;

    BeamSearch(Builder builder) {
        if (builder.beamSize < 0 || builder.maxLength < 0) {
            throw new IllegalStateException("BeamSearch needs setBeamSize and setMaxLength");
        }
        if (builder.nBest > builder.beamSize) {
            throw new IllegalArgumentException("n-best must be at most the beam size " + builder.beamSize + ", got " + builder.nBest);
        }
        Searches.checkMinLength(builder.minLength, builder.maxLength);
        this.beamSize = builder.beamSize;
        this.maxLength = builder.maxLength;
        this.minLength = builder.minLength;
        this.nBest = builder.nBest;
        this.normalization = builder.normalization;
        this.keepAlphas = builder.keepAlphas;
    }

    /** A builder: the beam size and the maximum length are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** K. */
    public int beamSize() {
        return beamSize;
    }

    public int maxLength() {
        return maxLength;
    }

    public int minLength() {
        return minLength;
    }

    /** How many captions each image returns. */
    public int nBest() {
        return nBest;
    }

    public LengthNormalization normalization() {
        return normalization;
    }

    /**
     * The n-best captions of each image.
     *
     * @param nBest for each image, its captions, best first: finished ones by score, then unfinished
     *     ones by score where fewer than n finished
     */
    public record Result(List<List<Hypothesis>> nBest) {
        public Result {
            nBest = nBest.stream().map(List::copyOf).toList();
        }

        /** The best caption of each image. */
        public List<Hypothesis> best() {
            return nBest.stream().map(list -> list.get(0)).toList();
        }

        /** The word ids of each image's best caption, without {@code <start>} and {@code <end>}. */
        public int[][] words() {
            return Hypothesis.words(best());
        }
    }

    /** Searches a batch with one decoder: {@code grid} (n, L, D) (null for a plain decoder) and {@code pooled} (n, D). */
    public Result search(CaptionDecoder decoder, NDArray grid, NDArray pooled) {
        return search(SearchModel.of(decoder), grid, pooled);
    }

    /** Searches a batch with any search model: {@code grid} (n, L, D) (null where no model attends) and {@code pooled} (n, D). */
    public <S> Result search(SearchModel<S> model, NDArray grid, NDArray pooled) {
        int n = Searches.imageCount(pooled);
        int k = beamSize;
        int v = model.vocabularySize();
        int candidates = (int) Math.min(2L * k, (long) k * v); // read back per image and step
        List<List<Hypothesis>> finished = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            finished.add(new ArrayList<>());
        }
        List<List<Hypothesis>> unfinished = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            unfinished.add(List.of());
        }
        try (ScopedState<S> states = new ScopedState<>(model, pooled.getManager())) {
            ParameterStore ps = new ParameterStore(states.root(), false);
            int[] groups = new int[n]; // the image of each group of K adjacent rows
            long[] repeat = new long[n * k]; // row i K + j of the search reads image i
            for (int i = 0; i < n; i++) {
                groups[i] = i;
                for (int j = 0; j < k; j++) {
                    repeat[i * k + j] = i;
                }
            }
            try (NDManager scope = states.open(grid, pooled)) {
                S first = model.start(ps, grid, pooled); // n rows
                states.commit(scope, k == 1 ? first : model.select(first, scope.create(repeat))); // n K rows
            }
            Beam[] beams = new Beam[n * k];
            float[] scores = new float[n * k];
            long[] tokens = new long[n * k];
            Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            Arrays.fill(tokens, Vocabulary.START_ID);
            for (int i = 0; i < n; i++) {
                scores[i * k] = 0; // only beam 0 is live at the first step
            }
            for (int t = 0; t < maxLength && groups.length > 0; t++) {
                int rows = groups.length * k;
                boolean last = t + 1 == maxLength;
                try (NDManager scope = states.open()) {
                    SearchModel.Next<S> out = model.step(ps, states.state(), scope.create(tokens), t < minLength); // tokens (R)
                    NDArray sums = out.logProbs().add(scope.create(scores, new Shape(rows, 1))); // (R, V): s_k + log p(w)
                    NDList top = sums.reshape(groups.length, (long) k * v).topK(candidates, 1, true, true); // (n, 2K) each
                    float[] topScores = top.get(0).toFloatArray();
                    long[] topIds = top.get(1).toLongArray();
                    float[] alpha = keepAlphas && out.alpha() != null ? out.alpha().toFloatArray() : null; // (R * L)
                    int locations = alpha == null ? 0 : alpha.length / rows;

                    Beam[] nextBeams = new Beam[rows];
                    float[] nextScores = new float[rows];
                    long[] nextTokens = new long[rows];
                    long[] sources = new long[rows];
                    boolean[] done = new boolean[groups.length];
                    int doneRows = 0;
                    for (int g = 0; g < groups.length; g++) {
                        int image = groups[g];
                        int live = 0;
                        for (int c = 0; c < candidates && live < k; c++) {
                            float score = topScores[g * candidates + c];
                            if (score == Float.NEGATIVE_INFINITY) {
                                break; // sorted: nothing reachable follows
                            }
                            long id = topIds[g * candidates + c];
                            int source = g * k + (int) (id / v);
                            int word = (int) (id % v);
                            if (word == Vocabulary.END_ID) {
                                if (c < k) {
                                    finished.get(image).add(hypothesis(beams[source], score, t + 1, true));
                                }
                                continue;
                            }
                            int row = g * k + live++;
                            float[] a = alpha == null ? null : Arrays.copyOfRange(alpha, source * locations, (source + 1) * locations);
                            nextBeams[row] = new Beam(beams[source], word, a);
                            nextScores[row] = score;
                            nextTokens[row] = word;
                            sources[row] = source;
                        }
                        for (int j = live; j < k; j++) { // no reachable candidate left: a dead beam
                            int row = g * k + j;
                            nextScores[row] = Float.NEGATIVE_INFINITY;
                            nextTokens[row] = Vocabulary.PAD_ID;
                            sources[row] = g * k;
                        }
                        done[g] = live == 0 || isDone(finished.get(image), nextScores[g * k]);
                        if (last && !done[g]) {
                            unfinished.set(image, unfinishedOf(nextBeams, nextScores, g * k, live, t + 1));
                        }
                        if (done[g]) {
                            doneRows += k;
                        }
                    }
                    if (last || doneRows == rows) {
                        break;
                    }
                    S next;
                    if (Searches.worthCompacting(doneRows, rows)) {
                        int kept = groups.length - doneRows / k;
                        int[] keptGroups = new int[kept];
                        long[] keptRows = new long[kept * k];
                        int at = 0;
                        for (int g = 0; g < groups.length; g++) {
                            if (done[g]) {
                                continue;
                            }
                            keptGroups[at] = groups[g];
                            for (int j = 0; j < k; j++) {
                                keptRows[at * k + j] = (long) g * k + j;
                            }
                            at++;
                        }
                        // Reorder and drop in one gather: the rows kept, each from its source beam (same image).
                        next = model.select(out.state(), scope.create(pick(sources, keptRows))); // (R') rows
                        nextBeams = pick(nextBeams, keptRows);
                        nextScores = pick(nextScores, keptRows);
                        nextTokens = pick(nextTokens, keptRows);
                        groups = keptGroups;
                    } else {
                        next = model.reorder(out.state(), scope.create(sources)); // (R) rows
                        for (int g = 0; g < groups.length; g++) {
                            if (done[g]) { // kept in the batch until enough rows go, but out of the search
                                Arrays.fill(nextScores, g * k, (g + 1) * k, Float.NEGATIVE_INFINITY);
                                Arrays.fill(nextBeams, g * k, (g + 1) * k, null);
                            }
                        }
                    }
                    beams = nextBeams;
                    scores = nextScores;
                    tokens = nextTokens;
                    states.commit(scope, next);
                }
            }
        }
        List<List<Hypothesis>> results = new ArrayList<>(n);
        Comparator<Hypothesis> byScore = Comparator.comparingDouble(Hypothesis::score).reversed();
        for (int i = 0; i < n; i++) {
            List<Hypothesis> best = new ArrayList<>(finished.get(i));
            best.sort(byScore);
            if (best.size() > nBest) {
                best = best.subList(0, nBest);
            }
            for (Hypothesis h : unfinished.get(i)) {
                if (best.size() >= nBest) {
                    break;
                }
                best.add(h);
            }
            results.add(best);
        }
        return new Result(results);
    }

    /** Whether an image can stop: it holds n finished captions and the best live beam cannot beat the n-th. */
    private boolean isDone(List<Hypothesis> finished, float bestLive) {
        if (finished.size() < nBest) {
            return false;
        }
        double[] scores = finished.stream().mapToDouble(Hypothesis::score).sorted().toArray();
        double nth = scores[scores.length - nBest];
        return normalization.bound(bestLive, maxLength) <= nth;
    }

    /** The live beams of one image at the last step, best first, as unfinished captions. */
    private List<Hypothesis> unfinishedOf(Beam[] beams, float[] scores, int from, int live, int length) {
        List<Hypothesis> out = new ArrayList<>(live);
        for (int j = 0; j < live; j++) {
            out.add(hypothesis(beams[from + j], scores[from + j], length, false));
        }
        out.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        return out;
    }

    /** The caption ending at {@code beam}; {@code length} counts its tokens, {@code <end>} included where finished. */
    private Hypothesis hypothesis(Beam beam, float logProb, int length, boolean ended) {
        int words = ended ? length - 1 : length;
        int[] ids = new int[words];
        float[][] alphas = new float[words][];
        Beam at = beam;
        for (int i = words - 1; i >= 0; i--) {
            ids[i] = at.word();
            alphas[i] = at.alpha() == null ? new float[0] : at.alpha();
            at = at.parent();
        }
        return new Hypothesis(ids, alphas, logProb, normalization.score(logProb, length), ended);
    }

    private static Beam[] pick(Beam[] from, long[] rows) {
        Beam[] out = new Beam[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = from[(int) rows[i]];
        }
        return out;
    }

    private static float[] pick(float[] from, long[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = from[(int) rows[i]];
        }
        return out;
    }

    private static long[] pick(long[] from, long[] rows) {
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = from[(int) rows[i]];
        }
        return out;
    }

    /** A beam's last word, the attention weights it was chosen with, and the beam it extends (null at the first word). */
    private record Beam(Beam parent, int word, float[] alpha) {}

    @Override
    public String toString() {
        return "BeamSearch(K=" + beamSize + ", maxLength=" + maxLength + ", nBest=" + nBest + ", normalization=" + normalization
                + (minLength > 0 ? ", minLength=" + minLength : "") + ")";
    }

    /** Builds a {@link BeamSearch}. */
    public static final class Builder extends SearchBuilder<Builder> {
        int beamSize = -1;
        int nBest = 1;
        LengthNormalization normalization = LengthNormalization.none();

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** K, the beams kept per image (required, at least 1). */
        public Builder setBeamSize(int beamSize) {
            this.beamSize = Searches.positive("the beam size", beamSize);
            return this;
        }

        /** How many captions to return per image, best first (default 1, at most K). */
        public Builder optNBest(int nBest) {
            this.nBest = Searches.positive("n-best", nBest);
            return this;
        }

        /** How finished captions of different lengths compare (default {@link LengthNormalization#none()}). */
        public Builder optLengthNormalization(LengthNormalization normalization) {
            this.normalization = java.util.Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        public BeamSearch build() {
            return new BeamSearch(this);
        }
    }
}
