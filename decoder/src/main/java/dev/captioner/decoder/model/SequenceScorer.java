package dev.captioner.decoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;

/**
 * The log-probability of given captions under a decoder, in one teacher-forced pass over the batch:
 * {@code log P(y | image) = sum_t log softmax(logits_t)[y_t]}, over the caption's words and its
 * {@code <end>} where the search emitted one. Greedy search keeps only the words; this gives their score.
 */
final class SequenceScorer {
    private SequenceScorer() {}

    /**
     * @param grid   (B, L, D), or null for a plain decoder
     * @param pooled (B, D)
     * @param words  the captions' word ids, without {@code <start>} and {@code <end>}
     * @param ended  whether each caption ended with {@code <end>} (false where it was cut at the maximum length)
     */
    static float[] logProbs(CaptionDecoder decoder, NDArray grid, NDArray pooled, int[][] words, boolean[] ended) {
        int b = words.length;
        int width = 1;
        for (int[] caption : words) {
            width = Math.max(width, caption.length + 1);
        }
        long[] inputs = new long[b * width];
        long[] targets = new long[b * width];
        float[] mask = new float[b * width];
        for (int row = 0; row < b; row++) {
            int[] caption = words[row];
            inputs[row * width] = Vocabulary.START_ID;
            for (int t = 0; t < caption.length; t++) {
                inputs[row * width + t + 1] = caption[t]; // width > caption.length
                targets[row * width + t] = caption[t];
                mask[row * width + t] = 1f;
            }
            if (ended[row]) {
                targets[row * width + caption.length] = Vocabulary.END_ID;
                mask[row * width + caption.length] = 1f;
            }
        }
        try (NDManager scope = pooled.getManager().newSubManager()) {
            NDArray in = scope.create(inputs, new Shape(b, width)); // (B, T)
            NDArray out = scope.create(targets, new Shape(b, width)).expandDims(2); // (B, T, 1)
            NDArray m = scope.create(mask, new Shape(b, width)); // (B, T)
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray logits = decoder.unroll(ps, grid, pooled, in, null, null, null, false).logits(); // (B, T, V)
            NDArray picked = logits.logSoftmax(2).gather(out, 2).squeeze(2); // (B, T)
            return picked.mul(m).sum(new int[] {1}).toType(DataType.FLOAT32, false).toFloatArray(); // (B)
        }
    }
}
