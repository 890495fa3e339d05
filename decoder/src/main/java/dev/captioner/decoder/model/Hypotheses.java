package dev.captioner.decoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * What a search found for a batch of B images, N captions each (best first), and how it travels from
 * {@link CaptioningBlock} to {@link CaptionTranslator} as a DJL {@link NDList}:
 * <pre>
 *   0 words     (B, N, T) int32, padded with &lt;pad&gt; to T = the maximum length
 *   1 lengths   (B, N)    int32
 *   2 logProbs  (B, N)    float32, natural log of the caption's probability, &lt;end&gt; included where it was emitted
 *   3 alphas    (B, N, T, L) float32; L = 0 for a plain decoder
 * </pre>
 *
 * @param words    words[b][n]: word ids without {@code <start>} and {@code <end>}
 * @param alphas   alphas[b][n][t]: the attention over the L locations when word t was chosen (empty arrays without attention)
 * @param logProbs logProbs[b][n]
 */
record Hypotheses(int[][][] words, float[][][][] alphas, float[][] logProbs) {

    int batchSize() {
        return words.length;
    }

    /**
     * The captions of image {@code i}, best first: word ids to words through the vocabulary, each word's
     * attention over the L locations to a {@code [rows][cols]} grid (none for a plain decoder).
     */
    List<Caption> captions(int i, Vocabulary vocabulary, int gridRows, int gridCols) {
        List<Caption> captions = new ArrayList<>(words[i].length);
        for (int n = 0; n < words[i].length; n++) {
            int[] ids = words[i][n];
            List<String> text = new ArrayList<>(ids.length);
            List<float[][]> grids = new ArrayList<>(ids.length);
            for (int t = 0; t < ids.length; t++) {
                text.add(vocabulary.word(ids[t]));
                if (alphas[i][n][t].length > 0) {
                    grids.add(grid(alphas[i][n][t], gridRows, gridCols));
                }
            }
            captions.add(new Caption(text, logProbs[i][n], grids));
        }
        return captions;
    }

    /** L weights, row by row, as {@code [rows][cols]}. */
    private static float[][] grid(float[] alpha, int gridRows, int gridCols) {
        if (alpha.length != gridRows * gridCols) {
            throw new IllegalStateException("attention over " + alpha.length + " locations does not fit a "
                    + gridRows + "x" + gridCols + " grid");
        }
        float[][] grid = new float[gridRows][gridCols];
        for (int r = 0; r < gridRows; r++) {
            System.arraycopy(alpha, r * gridCols, grid[r], 0, gridCols);
        }
        return grid;
    }

    NDList toList(NDManager manager, int maxLength, int locations) {
        int b = words.length;
        int n = b == 0 ? 1 : words[0].length;
        int[] ids = new int[b * n * maxLength];
        int[] lengths = new int[b * n];
        float[] scores = new float[b * n];
        float[] weights = new float[b * n * maxLength * locations];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                int row = i * n + j;
                int[] caption = words[i][j];
                lengths[row] = caption.length;
                scores[row] = logProbs[i][j];
                for (int t = 0; t < caption.length; t++) {
                    ids[row * maxLength + t] = caption[t];
                    System.arraycopy(alphas[i][j][t], 0, weights, (row * maxLength + t) * locations, alphas[i][j][t].length);
                }
            }
        }
        NDArray wordArray = manager.create(ids, new Shape(b, n, maxLength)); // (B, N, T)
        NDArray lengthArray = manager.create(lengths, new Shape(b, n)); // (B, N)
        NDArray scoreArray = manager.create(scores, new Shape(b, n)); // (B, N)
        NDArray alphaArray = manager.create(weights, new Shape(b, n, maxLength, locations)); // (B, N, T, L)
        return new NDList(wordArray, lengthArray, scoreArray, alphaArray);
    }

    static Hypotheses fromList(NDList list) {
        Shape shape = list.get(0).getShape();
        int b = (int) shape.get(0);
        int n = (int) shape.get(1);
        int maxLength = (int) shape.get(2);
        int locations = (int) list.get(3).getShape().get(3);
        int[] ids = list.get(0).toType(DataType.INT32, false).toIntArray();
        int[] lengths = list.get(1).toType(DataType.INT32, false).toIntArray();
        float[] scores = list.get(2).toType(DataType.FLOAT32, false).toFloatArray();
        float[] weights = list.get(3).toType(DataType.FLOAT32, false).toFloatArray();
        int[][][] words = new int[b][n][];
        float[][][][] alphas = new float[b][n][][];
        float[][] logProbs = new float[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                int row = i * n + j;
                int length = lengths[row];
                words[i][j] = java.util.Arrays.copyOfRange(ids, row * maxLength, row * maxLength + length);
                alphas[i][j] = new float[length][];
                for (int t = 0; t < length; t++) {
                    int from = (row * maxLength + t) * locations;
                    alphas[i][j][t] = java.util.Arrays.copyOfRange(weights, from, from + locations);
                }
                logProbs[i][j] = scores[row];
            }
        }
        return new Hypotheses(words, alphas, logProbs);
    }
}
