package dev.captioner.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * BLEU-1..4 (Papineni et al., 2002) exactly as pycocoevalcap's {@code Bleu(4)} computes it, with
 * {@code option='closest'} (tylin/coco-caption {@code bleu_scorer.py}).
 *
 * <p>Per image, with candidate length c: the effective reference length r is the reference length
 * closest to c (on a tie the shorter); for n = 1..4, guess_n = max(0, c-n+1) candidate n-grams and
 * correct_n = &Sigma;_g min(count_cand(g), max_ref count_ref(g)), the clipped matches. Then
 * <pre>
 *   p_n    = (correct_n + 1e-15) / (guess_n + 1e-9)            (tiny, small)
 *   BLEU-N = (p_1 &middot; ... &middot; p_N)^(1/N) &middot; BP
 *   ratio  = (c + 1e-15) / (r + 1e-9),   BP = exp(1 - 1/ratio) if ratio &lt; 1, else 1
 * </pre>
 * The corpus score sums c, r, guess_n and correct_n over the images and applies the formula once; it
 * is not the mean of the per-image scores, which apply it to each image's own statistics. Because of
 * the epsilons no score is exactly 0 or 1: zero overlap gives about 1e-16, an order with no candidate
 * n-grams at all contributes p_n = 1e-6, and c = r still gives BP = 1 - 1e-9/c or so.
 *
 * <p>The arithmetic is done in the Python code's order. {@link Math#pow} and {@link Math#exp} may round
 * the last bit differently from the C library Python calls (about 1 value in 1,000, 1e-16 relative).
 */
public final class Bleu {
    /** BLEU-1 to BLEU-{@value}. */
    public static final int MAX_ORDER = NGramCorpus.MAX_ORDER;

    // the names and values of bleu_scorer.compute_score
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private Bleu() {}

    /**
     * The integer statistics BLEU is computed from, summed over a set (pycocoevalcap prints them as
     * {@code totalcomps}).
     */
    public static final class Stats {
        private final long testlen;
        private final long reflen;
        private final long[] guess;
        private final long[] correct;

        Stats(long testlen, long reflen, long[] guess, long[] correct) {
            this.testlen = testlen;
            this.reflen = reflen;
            this.guess = guess.clone();
            this.correct = correct.clone();
        }

        /** Total candidate length c. */
        public long testlen() {
            return testlen;
        }

        /** Total effective ("closest") reference length r. */
        public long reflen() {
            return reflen;
        }

        /** Candidate n-grams of order {@code n} (1-based), summed over the images. */
        public long guess(int n) {
            return guess[n - 1];
        }

        /** Clipped matching n-grams of order {@code n} (1-based), summed over the images. */
        public long correct(int n) {
            return correct[n - 1];
        }

        /** {@code (testlen + 1e-15) / (reflen + 1e-9)}; the brevity penalty applies below 1. */
        public double ratio() {
            return (testlen + TINY) / (reflen + SMALL);
        }

        /** BLEU-1..{@code MAX_ORDER} from these statistics. */
        double[] scores() {
            double[] bleus = new double[MAX_ORDER];
            // a running product over n, each prefix raised to 1/n, as compute_score does
            double bleu = 1.0;
            for (int k = 0; k < MAX_ORDER; k++) {
                bleu *= ((double) correct[k] + TINY) / ((double) guess[k] + SMALL);
                bleus[k] = Math.pow(bleu, 1.0 / (k + 1));
            }
            double ratio = ratio();
            if (ratio < 1) {
                double brevity = Math.exp(1 - 1 / ratio);
                for (int k = 0; k < MAX_ORDER; k++) {
                    bleus[k] *= brevity;
                }
            }
            return bleus;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stats other && testlen == other.testlen && reflen == other.reflen
                    && Arrays.equals(guess, other.guess) && Arrays.equals(correct, other.correct);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(testlen) * 31 + Long.hashCode(reflen) * 17
                    + Arrays.hashCode(guess) * 7 + Arrays.hashCode(correct);
        }

        /** As pycocoevalcap prints them: {@code {'testlen': 9, 'reflen': 9, 'guess': [...], 'correct': [...]}}. */
        @Override
        public String toString() {
            return "{'testlen': " + testlen + ", 'reflen': " + reflen + ", 'guess': " + list(guess)
                    + ", 'correct': " + list(correct) + "}";
        }

        private static String list(long[] values) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                s.append(i == 0 ? "" : ", ").append(values[i]);
            }
            return s.append(']').toString();
        }
    }

    /**
     * BLEU-1..4 of a set: {@link #bleu(int) bleu(n)} is BLEU-n, with {@link #stats()} the summed
     * statistics behind the corpus figures.
     */
    public static final class Scores {
        private final CorpusScore[] byOrder;
        private final Stats stats;

        Scores(CorpusScore[] byOrder, Stats stats) {
            this.byOrder = byOrder.clone();
            this.stats = stats;
        }

        /** BLEU-{@code n}, {@code n} in 1..{@value Bleu#MAX_ORDER}. */
        public CorpusScore bleu(int n) {
            if (n < 1 || n > MAX_ORDER) {
                throw new IllegalArgumentException("BLEU order must be 1.." + MAX_ORDER + ", was " + n);
            }
            return byOrder[n - 1];
        }

        public Stats stats() {
            return stats;
        }
    }

    /**
     * Scores {@code candidates.get(i)} against {@code references.get(i)} for every image i. Captions
     * are split on whitespace as Python's {@code str.split()} does.
     *
     * @throws IllegalArgumentException if the lists differ in size, the set is empty, an image has no
     *                                  reference or a caption is null
     */
    public static Scores score(List<String> candidates, List<? extends List<String>> references) {
        return score(NGramCorpus.of(candidates, references));
    }

    static Scores score(NGramCorpus corpus) {
        int images = corpus.images();
        double[][] perImage = new double[MAX_ORDER][images];
        long testlen = 0;
        long reflen = 0;
        long[] guess = new long[MAX_ORDER];
        long[] correct = new long[MAX_ORDER];
        // maxRef[id]: the largest count of n-gram id in any single reference of the current image
        int[] maxRef = new int[corpus.size];
        for (int i = 0; i < images; i++) {
            NGramCorpus.Counts cand = corpus.candidates[i];
            NGramCorpus.Counts[] refs = corpus.references[i];
            for (NGramCorpus.Counts ref : refs) {
                for (int k = 0; k < ref.ids.length; k++) {
                    maxRef[ref.ids[k]] = Math.max(maxRef[ref.ids[k]], ref.counts[k]);
                }
            }
            long[] imageGuess = new long[MAX_ORDER];
            long[] imageCorrect = new long[MAX_ORDER];
            for (int n = 1; n <= MAX_ORDER; n++) {
                imageGuess[n - 1] = Math.max(0, cand.length - n + 1);
                for (int k = cand.start[n - 1]; k < cand.start[n]; k++) {
                    imageCorrect[n - 1] += Math.min(cand.counts[k], maxRef[cand.ids[k]]);
                }
            }
            for (NGramCorpus.Counts ref : refs) {
                for (int id : ref.ids) {
                    maxRef[id] = 0;
                }
            }
            Stats image = new Stats(cand.length, closestLength(cand.length, refs), imageGuess, imageCorrect);
            double[] bleus = image.scores();
            for (int k = 0; k < MAX_ORDER; k++) {
                perImage[k][i] = bleus[k];
                guess[k] += imageGuess[k];
                correct[k] += imageCorrect[k];
            }
            testlen += image.testlen;
            reflen += image.reflen;
        }
        Stats total = new Stats(testlen, reflen, guess, correct);
        double[] bleus = total.scores();
        CorpusScore[] byOrder = new CorpusScore[MAX_ORDER];
        for (int k = 0; k < MAX_ORDER; k++) {
            byOrder[k] = new CorpusScore(bleus[k], perImage[k]);
        }
        return new Scores(byOrder, total);
    }

    /** {@code min((abs(l - c), l) for l in reflens)[1]}: the closest length, the shorter on a tie. */
    static int closestLength(int candidateLength, NGramCorpus.Counts[] refs) {
        int best = refs[0].length;
        for (NGramCorpus.Counts ref : refs) {
            int d = Math.abs(ref.length - candidateLength);
            int bestD = Math.abs(best - candidateLength);
            if (d < bestD || (d == bestD && ref.length < best)) {
                best = ref.length;
            }
        }
        return best;
    }
}
