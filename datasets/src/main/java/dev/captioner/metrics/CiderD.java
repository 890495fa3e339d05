package dev.captioner.metrics;

import java.util.List;

/**
 * CIDEr-D (Vedantam et al., 2015) exactly as pycocoevalcap's {@code Cider()} computes it
 * (tylin/coco-caption {@code cider/cider_scorer.py}; COCO reports it as "CIDEr"), with n = 1..4 and
 * &sigma; = 6.
 *
 * <p>Over a set of N images, df(g) is the number of images whose references contain n-gram g (an image
 * counts once; candidates do not count). An n-gram's weight in a caption is its <em>raw</em> count times
 * idf(g) = ln N - ln max(1, df(g)); the paper's division by the caption's length is not done. For
 * candidate c and reference s, at order n:
 * <pre>
 *   sim_n(c, s) = &Sigma;_g min(w_c(g), w_s(g)) &middot; w_s(g) / (&Vert;w_c&Vert; &Vert;w_s&Vert;) &middot; exp(-(&ell;_c - &ell;_s)&sup2; / (2&sigma;&sup2;))
 *   CIDEr-D(c)  = 10 &middot; (1/4) &Sigma;_n (1/m) &Sigma;_j sim_n(c, s_j)        (m references)
 * </pre>
 * sim_n is 0 when either norm is 0 (every n-gram of that order has idf 0), and &ell; is the number of
 * bigrams, tokens - 1 (0 for an empty caption). The min clips repeated candidate n-grams. A one-image
 * set has idf 0 everywhere and scores 0. The corpus score is the mean of the per-image scores.
 *
 * <p>The summation order follows the Python code (n-grams in order of first occurrence, references in
 * input order), so the scores agree with it to rounding in {@code log}, {@code pow} and the like.
 */
public final class CiderD {
    /** The largest n-gram order. */
    public static final int MAX_ORDER = NGramCorpus.MAX_ORDER;
    /** Width of the Gaussian length penalty, in tokens. */
    public static final double SIGMA = 6.0;

    private CiderD() {}

    /**
     * Scores {@code candidates.get(i)} against {@code references.get(i)} for every image i; document
     * frequencies come from these references. Captions are split as Python's {@code str.split()} does.
     *
     * @throws IllegalArgumentException if the lists differ in size, the set is empty, an image has no
     *                                  reference or a caption is null
     */
    public static CorpusScore score(List<String> candidates, List<? extends List<String>> references) {
        return score(NGramCorpus.of(candidates, references));
    }

    static CorpusScore score(NGramCorpus corpus) {
        int images = corpus.images();
        double[] idf = inverseDocumentFrequencies(corpus);
        // refWeight[id]: the weight of n-gram id in the reference being compared; 0 (absent) otherwise
        double[] refWeight = new double[corpus.size];
        double[] perImage = new double[images];
        for (int i = 0; i < images; i++) {
            Vector hyp = new Vector(corpus.candidates[i], idf);
            NGramCorpus.Counts[] refs = corpus.references[i];
            double[] score = new double[MAX_ORDER];
            for (NGramCorpus.Counts refCounts : refs) {
                Vector ref = new Vector(refCounts, idf);
                similarity(hyp, ref, refWeight, score);
            }
            // np.mean over the orders (a left-to-right sum for 4 values), / m, * 10 -- in that order
            double mean = 0.0;
            for (double s : score) {
                mean += s;
            }
            mean /= MAX_ORDER;
            mean /= refs.length;
            mean *= 10.0;
            perImage[i] = mean;
        }
        return new CorpusScore(NumpyMean.of(perImage), perImage);
    }

    /** idf(g) = ln N - ln max(1, df(g)) for every n-gram id, df counting each image once. */
    private static double[] inverseDocumentFrequencies(NGramCorpus corpus) {
        int[] df = new int[corpus.size];
        int[] lastImage = new int[corpus.size]; // 1 + the last image whose references counted this id
        for (int i = 0; i < corpus.images(); i++) {
            for (NGramCorpus.Counts ref : corpus.references[i]) {
                for (int id : ref.ids) {
                    if (lastImage[id] != i + 1) {
                        lastImage[id] = i + 1;
                        df[id]++;
                    }
                }
            }
        }
        double logImages = Math.log((double) corpus.images()); // cider_scorer's ref_len
        // df takes at most N + 1 values, so each log is taken once, not once per n-gram
        double[] idfOfDf = new double[corpus.images() + 1];
        for (int d = 0; d < idfOfDf.length; d++) {
            idfOfDf[d] = logImages - Math.log(Math.max(1.0, d));
        }
        double[] idf = new double[corpus.size];
        for (int id = 0; id < idf.length; id++) {
            idf[id] = idfOfDf[df[id]];
        }
        return idf;
    }

    /** {@code counts2vec}: weights parallel to {@code counts.ids}, one norm per order, and the length. */
    private static final class Vector {
        final NGramCorpus.Counts counts;
        final double[] weights;
        final double[] norms = new double[MAX_ORDER];
        final int length;

        Vector(NGramCorpus.Counts counts, double[] idf) {
            this.counts = counts;
            weights = new double[counts.ids.length];
            for (int n = 0; n < MAX_ORDER; n++) {
                double sumOfSquares = 0.0;
                for (int k = counts.start[n]; k < counts.start[n + 1]; k++) {
                    weights[k] = (double) counts.counts[k] * idf[counts.ids[k]];
                    sumOfSquares += weights[k] * weights[k];
                }
                norms[n] = Math.sqrt(sumOfSquares);
            }
            // the code sums the bigram counts: tokens - 1, but 0 for an empty caption
            length = Math.max(0, counts.length - 1);
        }
    }

    /** Adds sim_n(hyp, ref) to {@code score[n-1]} for every order, as {@code sim} does. */
    private static void similarity(Vector hyp, Vector ref, double[] refWeight, double[] score) {
        double delta = hyp.length - ref.length;
        // np.e ** x, not exp(x), to round as the Python code does
        double lengthPenalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
        for (int n = 0; n < MAX_ORDER; n++) {
            NGramCorpus.Counts r = ref.counts;
            for (int k = r.start[n]; k < r.start[n + 1]; k++) {
                refWeight[r.ids[k]] = ref.weights[k];
            }
            double val = 0.0;
            NGramCorpus.Counts h = hyp.counts;
            for (int k = h.start[n]; k < h.start[n + 1]; k++) {
                double w = refWeight[h.ids[k]];
                // CIDEr-D's clipping: a candidate n-gram earns at most the reference's weight
                val += Math.min(hyp.weights[k], w) * w;
            }
            for (int k = r.start[n]; k < r.start[n + 1]; k++) {
                refWeight[r.ids[k]] = 0.0;
            }
            if (hyp.norms[n] != 0 && ref.norms[n] != 0) {
                val /= (hyp.norms[n] * ref.norms[n]);
            }
            val *= lengthPenalty;
            score[n] += val;
        }
    }
}
