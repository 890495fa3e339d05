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
        Ends ends = new Ends(n);
        try (ScopedState<S> states = new ScopedState<>(model, pooled.getManager())) {
            ParameterStore ps = new ParameterStore(states.root(), false);
            Rows rows = Rows.first(n, beamSize);
            try (NDManager scope = states.open(grid, pooled)) {
                S first = model.start(ps, grid, pooled); // n rows
                states.commit(scope, beamSize == 1 ? first : model.select(first, scope.create(rows.imageOfEachRow(beamSize)))); // n K rows
            }
            for (int t = 0; t < maxLength && rows.groups.length > 0; t++) {
                try (NDManager scope = states.open()) {
                    SearchModel.Next<S> out = model.step(ps, states.state(), scope.create(rows.tokens), t < minLength); // tokens (R)
                    Rows next = extend(rows, out, scope, model.vocabularySize(), t, ends);
                    if (t + 1 == maxLength || next.doneRows == next.beams.length) {
                        break;
                    }
                    states.commit(scope, next.dropOrReorder(model, out.state(), scope, beamSize));
                    rows = next;
                }
            }
        }
        return ends.nBest(nBest);
    }

    /**
     * One step's candidates: the 2K best extensions of each image's beams (one top-k over K V scores), read back
     * and turned into the next rows, the finished captions set aside in {@code ends}.
     */
    private <S> Rows extend(Rows rows, SearchModel.Next<S> out, NDManager scope, int v, int t, Ends ends) {
        int k = beamSize;
        int count = rows.beams.length;
        int candidates = (int) Math.min(2L * k, (long) k * v); // read back per image and step
        NDArray sums = out.logProbs().add(scope.create(rows.scores, new Shape(count, 1))); // (R, V): s_k + log p(w)
        NDList top = sums.reshape(rows.groups.length, (long) k * v).topK(candidates, 1, true, true); // (n, 2K) each
        Candidates found = new Candidates(top.get(0).toFloatArray(), top.get(1).toLongArray(), candidates, v,
                keepAlphas && out.alpha() != null ? out.alpha().toFloatArray() : null, count); // alphas (R * L)
        Rows next = new Rows(rows.groups, k);
        for (int g = 0; g < rows.groups.length; g++) {
            int image = rows.groups[g];
            int live = fillGroup(g, rows.beams, found, next, ends.finished.get(image), t);
            next.done[g] = live == 0 || isDone(ends.finished.get(image), next.scores[g * k]);
            if (t + 1 == maxLength && !next.done[g]) {
                ends.unfinished.set(image, unfinishedOf(next.beams, next.scores, g * k, live, t + 1));
            }
            if (next.done[g]) {
                next.doneRows += k;
            }
        }
        return next;
    }

    /**
     * Fills group g's K rows of {@code next} from its candidates, best first: an {@code <end>} among the first K
     * finishes a caption, any other word extends its source beam, until K beams are live; rows left over are dead.
     *
     * @return the live beams of the group
     */
    private int fillGroup(int g, Beam[] beams, Candidates found, Rows next, List<Hypothesis> finished, int t) {
        int k = beamSize;
        int live = 0;
        for (int c = 0; c < found.perGroup() && live < k; c++) {
            float score = found.scores()[g * found.perGroup() + c];
            if (score == Float.NEGATIVE_INFINITY) {
                break; // sorted: nothing reachable follows
            }
            long id = found.ids()[g * found.perGroup() + c];
            int source = g * k + (int) (id / found.vocabulary());
            int word = (int) (id % found.vocabulary());
            if (word == Vocabulary.END_ID) {
                if (c < k) {
                    finished.add(hypothesis(beams[source], score, t + 1, true));
                }
                continue;
            }
            int row = g * k + live++;
            next.beams[row] = new Beam(beams[source], word, found.alphaOf(source));
            next.scores[row] = score;
            next.tokens[row] = word;
            next.sources[row] = source;
        }
        for (int j = live; j < k; j++) { // no reachable candidate left: a dead beam
            int row = g * k + j;
            next.scores[row] = Float.NEGATIVE_INFINITY;
            next.tokens[row] = Vocabulary.PAD_ID;
            next.sources[row] = g * k;
        }
        return live;
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

    /** The top candidates of one step as read back: per group, {@code perGroup} scores and ids (source row x V + word). */
    private record Candidates(float[] scores, long[] ids, int perGroup, int vocabulary, float[] alphas, int rows) {
        /** The attention weights the source row's step used, or null where they are not kept. */
        float[] alphaOf(int source) {
            if (alphas == null) {
                return null;
            }
            int locations = alphas.length / rows;
            return Arrays.copyOfRange(alphas, source * locations, (source + 1) * locations);
        }
    }

    /** The search's rows at one step: the image of each group of K adjacent rows, and each row's beam, score and token. */
    private static final class Rows {
        int[] groups;
        Beam[] beams;
        float[] scores;
        long[] tokens;
        /** The row of the previous step that each row extends. */
        final long[] sources;
        /** Groups whose image is done, and their rows. */
        final boolean[] done;
        int doneRows;

        Rows(int[] groups, int k) {
            this.groups = groups;
            this.beams = new Beam[groups.length * k];
            this.scores = new float[groups.length * k];
            this.tokens = new long[groups.length * k];
            this.sources = new long[groups.length * k];
            this.done = new boolean[groups.length];
        }

        /** The first step's rows: n images of K rows each, all {@code <start>}, only beam 0 of each live. */
        static Rows first(int n, int k) {
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                groups[i] = i;
            }
            Rows rows = new Rows(groups, k);
            Arrays.fill(rows.scores, Float.NEGATIVE_INFINITY);
            Arrays.fill(rows.tokens, Vocabulary.START_ID);
            for (int i = 0; i < n; i++) {
                rows.scores[i * k] = 0;
            }
            return rows;
        }

        /** Row i K + j reads image i. */
        long[] imageOfEachRow(int k) {
            long[] images = new long[groups.length * k];
            for (int i = 0; i < images.length; i++) {
                images[i] = groups[i / k];
            }
            return images;
        }

        /**
         * The model's state for these rows: each row's from its source row. Once done images hold a quarter of
         * the rows ({@link Searches#worthCompacting}) their rows are dropped here too, in the same gather;
         * until then they stay in the batch with no live beam.
         */
        <S> S dropOrReorder(SearchModel<S> model, S state, NDManager scope, int k) {
            if (!Searches.worthCompacting(doneRows, beams.length)) {
                for (int g = 0; g < groups.length; g++) {
                    if (done[g]) { // kept in the batch until enough rows go, but out of the search
                        Arrays.fill(scores, g * k, (g + 1) * k, Float.NEGATIVE_INFINITY);
                        Arrays.fill(beams, g * k, (g + 1) * k, null);
                    }
                }
                return model.reorder(state, scope.create(sources)); // (R) rows
            }
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
            S next = model.select(state, scope.create(pick(sources, keptRows))); // (R') rows
            beams = pick(beams, keptRows);
            scores = pick(scores, keptRows);
            tokens = pick(tokens, keptRows);
            groups = keptGroups;
            return next;
        }
    }

    /** Each image's finished captions, and its best live beams where the search stopped at the maximum length. */
    private static final class Ends {
        final List<List<Hypothesis>> finished = new ArrayList<>();
        final List<List<Hypothesis>> unfinished = new ArrayList<>();

        Ends(int n) {
            for (int i = 0; i < n; i++) {
                finished.add(new ArrayList<>());
                unfinished.add(List.of());
            }
        }

        /** Each image's n best: finished captions by score, then unfinished ones where fewer than n finished. */
        Result nBest(int n) {
            List<List<Hypothesis>> results = new ArrayList<>(finished.size());
            Comparator<Hypothesis> byScore = Comparator.comparingDouble(Hypothesis::score).reversed();
            for (int i = 0; i < finished.size(); i++) {
                List<Hypothesis> best = new ArrayList<>(finished.get(i));
                best.sort(byScore);
                if (best.size() > n) {
                    best = best.subList(0, n);
                }
                for (Hypothesis h : unfinished.get(i)) {
                    if (best.size() >= n) {
                        break;
                    }
                    best.add(h);
                }
                results.add(best);
            }
            return new Result(results);
        }
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
