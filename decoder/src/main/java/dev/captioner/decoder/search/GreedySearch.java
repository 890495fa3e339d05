package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import java.util.Arrays;

/**
 * Greedy decoding, batched over images: at every step each unfinished caption takes its most likely
 * next word, until {@code <end>} or the maximum length. The attention weights of every step are kept
 * for heatmaps and grounding.
 */
public final class GreedySearch {
    private final int maxLength;

    public GreedySearch(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maximum length must be at least 1, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The captions: word ids without {@code <start>} and {@code <end>}, and alphas[b][t] over L per word (empty for plain decoders). */
    public record Result(int[][] words, float[][][] alphas) {}

    /** Decodes a batch: {@code grid} (B, L, D) (null for a plain decoder) and {@code pooled} (B, D). */
    public Result decode(CaptionDecoder decoder, NDArray grid, NDArray pooled) {
        int b = (int) pooled.getShape().get(0);
        int[][] words = new int[b][maxLength];
        float[][][] alphas = new float[b][maxLength][];
        int[] lengths = new int[b];
        boolean[] done = new boolean[b];
        try (NDManager scope = pooled.getManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            CaptionDecoder.State state = decoder.start(ps, grid, pooled, false);
            long[] previous = new long[b];
            Arrays.fill(previous, Vocabulary.START_ID);
            int finished = 0;
            for (int t = 0; t < maxLength && finished < b; t++) {
                NDArray tokens = scope.create(previous); // (B)
                CaptionDecoder.Step step = decoder.step(ps, state, tokens, false);
                long[] next = step.logits().argMax(1).toType(DataType.INT64, false).toLongArray(); // (B)
                float[] alpha = step.alpha() == null ? null : step.alpha().toFloatArray(); // (B * L)
                int locations = alpha == null ? 0 : alpha.length / b;
                for (int row = 0; row < b; row++) {
                    if (done[row]) {
                        continue;
                    }
                    if (next[row] == Vocabulary.END_ID) {
                        done[row] = true;
                        finished++;
                        continue;
                    }
                    words[row][lengths[row]] = (int) next[row];
                    alphas[row][lengths[row]] = alpha == null ? new float[0] : Arrays.copyOfRange(alpha, row * locations, (row + 1) * locations);
                    lengths[row]++;
                }
                previous = next;
                state = step.state();
            }
        }
        for (int row = 0; row < b; row++) {
            words[row] = Arrays.copyOf(words[row], lengths[row]);
            alphas[row] = Arrays.copyOf(alphas[row], lengths[row]);
        }
        return new Result(words, alphas);
    }
}
