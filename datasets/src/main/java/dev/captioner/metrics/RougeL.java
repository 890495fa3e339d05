package dev.captioner.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-L (Lin, 2004) as pycocoevalcap's {@code Rouge()} computes it (tylin/coco-caption
 * {@code rouge/rouge.py}). With L_j the length of the longest common subsequence of the candidate c
 * and reference s_j, in tokens:
 * <pre>
 *   P = max_j L_j / |c|,   R = max_j L_j / |s_j|,   F = (1 + &beta;&sup2;) P R / (R + &beta;&sup2; P),   &beta; = 1.2
 * </pre>
 * P and R are maximised independently, so they may come from different references; F is 0 when P or R
 * is. There is no stemming and no stop-word removal. Tokens come from {@code split(" ")}, so an empty
 * caption is one empty token. The corpus score is the mean of the per-image F.
 */
public final class RougeL {
    /** Recall weighs &beta;&sup2; = 1.44 times as much as precision. */
    public static final double BETA = 1.2;

    private static final double BETA_SQUARED = BETA * BETA; // == Python's 1.2 ** 2

    private RougeL() {}

    /**
     * Scores {@code candidates.get(i)} against {@code references.get(i)} for every image i.
     *
     * @throws IllegalArgumentException if the lists differ in size, the set is empty, an image has no
     *                                  reference or a caption is null
     */
    public static CorpusScore score(List<String> candidates, List<? extends List<String>> references) {
        ScoringInputs.checkParallel(candidates, references);
        // tokens become ints once, so the LCS tables compare ints rather than strings
        Map<String, Integer> vocabulary = new HashMap<>();
        Lcs lcs = new Lcs();
        double[] perImage = new double[candidates.size()];
        for (int i = 0; i < perImage.length; i++) {
            int[] cand = ids(candidates.get(i), vocabulary);
            List<String> refs = references.get(i);
            int[][] refIds = new int[refs.size()][];
            for (int j = 0; j < refIds.length; j++) {
                refIds[j] = ids(refs.get(j), vocabulary);
            }
            perImage[i] = fMeasure(cand, refIds, lcs);
        }
        return new CorpusScore(NumpyMean.of(perImage), perImage);
    }

    /** ROUGE-L of one candidate against its references ({@code Rouge.calc_score}). */
    public static double sentence(String candidate, List<String> references) {
        return score(List.of(candidate), List.of(references)).image(0);
    }

    private static double fMeasure(int[] cand, int[][] refs, Lcs lcs) {
        double precision = 0;
        double recall = 0;
        for (int[] ref : refs) {
            int common = lcs.length(ref, cand);
            precision = Math.max(precision, common / (double) cand.length);
            recall = Math.max(recall, common / (double) ref.length);
        }
        if (precision == 0 || recall == 0) {
            return 0.0;
        }
        return ((1 + BETA_SQUARED) * precision * recall) / (recall + BETA_SQUARED * precision);
    }

    private static int[] ids(String caption, Map<String, Integer> vocabulary) {
        String[] tokens = Tokens.singleSpace(caption);
        int[] ids = new int[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
            ids[t] = vocabulary.computeIfAbsent(tokens[t], w -> vocabulary.size());
        }
        return ids;
    }

    /** LCS length by dynamic programming, keeping one row (O(|a|&middot;|b|) time, O(|b|) space). */
    private static final class Lcs {
        private int[] row = new int[64];

        int length(int[] a, int[] b) {
            if (row.length < b.length + 1) {
                row = new int[b.length + 1];
            }
            Arrays.fill(row, 0, b.length + 1, 0);
            for (int x : a) {
                int diagonal = 0; // table[i-1][j-1]
                for (int j = 1; j <= b.length; j++) {
                    int up = row[j]; // table[i-1][j]
                    row[j] = x == b[j - 1] ? diagonal + 1 : Math.max(up, row[j - 1]);
                    diagonal = up;
                }
            }
            return row[b.length];
        }
    }
}
