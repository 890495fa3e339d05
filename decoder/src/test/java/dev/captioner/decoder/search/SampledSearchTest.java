package dev.captioner.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sampling on real decoders: its limits (top-1 is greedy), its seed, and its distribution. */
class SampledSearchTest {

    @Test
    void topOneSamplingIsGreedy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 8, 2f);
            NDArray grid = TinyDecoders.grid(manager, 6, 1); // (6, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (6, D)
            List<Hypothesis> greedy = new GreedySearch(8).decode(decoder, grid, pooled).captions();
            List<Hypothesis> sampled = SampledSearch.builder().setMaxLength(8).optTopK(1).optTemperature(1.7f).build()
                    .sample(decoder, grid, pooled, new Random(5)).captions();
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(greedy.get(i).words(), sampled.get(i).words(), "image " + i);
                assertEquals(greedy.get(i).logProb(), sampled.get(i).logProb(), 1e-5, "log-probability under the model");
            }
        }
    }

    @Test
    void aSeedGivesTheSameCaptionsEveryRun() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.GRU, true, 8, 1f);
            NDArray grid = TinyDecoders.grid(manager, 8, 1); // (8, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (8, D)
            SampledSearch search = SampledSearch.builder().setMaxLength(8).optTemperature(1.5f).build();
            int[][] a = search.sample(decoder, grid, pooled, new SplittableRandom(42)).words();
            int[][] b = search.sample(decoder, grid, pooled, new SplittableRandom(42)).words();
            int[][] c = search.sample(decoder, grid, pooled, new SplittableRandom(43)).words();
            assertTrue(Arrays.deepEquals(a, b), "the same seed");
            assertFalse(Arrays.deepEquals(a, c), "another seed, other captions");
        }
    }

    @Test
    void firstWordsFollowTheTemperedTopKDistribution() {
        int n = 4000;
        int k = 3;
        float temperature = 0.7f;
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 8, 1.5f);
            NDArray one = TinyDecoders.grid(manager, 1, 3); // (1, L, D)
            NDArray grid = one.repeat(0, n); // (n, L, D): the same image n times
            NDArray pooled = grid.mean(new int[] {1}); // (n, D)
            List<Hypothesis> captions = SampledSearch.builder().setMaxLength(1).optTopK(k).optTemperature(temperature).build()
                    .sample(decoder, grid, pooled, new Random(7)).captions();
            int[] counts = new int[TinyDecoders.V];
            for (Hypothesis caption : captions) {
                counts[caption.finished() ? Vocabulary.END_ID : caption.words()[0]]++;
            }
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray onePooled = one.mean(new int[] {1}); // (1, D)
            float[] logits = decoder.step(ps, decoder.start(ps, one, onePooled, false), manager.create(new long[] {1}), false)
                    .logits().toFloatArray();
            double[] logp = TinyDecoders.logSoftmax(logits, false);
            Integer[] order = {0, 1, 2, 3, 4, 5};
            Arrays.sort(order, (x, y) -> Double.compare(logp[y], logp[x]));
            double norm = 0;
            for (int i = 0; i < k; i++) {
                norm += Math.exp(logp[order[i]] / temperature);
            }
            for (int i = 0; i < TinyDecoders.V; i++) {
                int word = order[i];
                double q = i < k ? Math.exp(logp[word] / temperature) / norm : 0;
                double frequency = counts[word] / (double) n;
                double sigma = Math.sqrt(q * (1 - q) / n);
                assertEquals(q, frequency, 4.5 * sigma + 1e-9, "word " + word + " (rank " + i + ")");
            }
        }
    }

    @Test
    void aMinimumLengthBansTheEnd() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, false, 8, 2f);
            NDArray pooled = TinyDecoders.grid(manager, 5, 1).mean(new int[] {1}); // (5, D)
            List<Hypothesis> captions = SampledSearch.builder().setMaxLength(6).optMinLength(6).build()
                    .sample(decoder, null, pooled, new Random(1)).captions();
            for (Hypothesis caption : captions) {
                assertFalse(caption.finished());
                assertEquals(6, caption.words().length);
                assertTrue(Arrays.stream(caption.words()).noneMatch(w -> w == Vocabulary.END_ID));
            }
            List<Hypothesis> greedy = GreedySearch.builder().setMaxLength(6).optMinLength(6).build().decode(decoder, null, pooled).captions();
            for (Hypothesis caption : greedy) {
                assertEquals(6, caption.words().length);
            }
        }
    }
}
