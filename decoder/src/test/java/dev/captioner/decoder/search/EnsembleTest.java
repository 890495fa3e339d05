package dev.captioner.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ensemble on real decoders: identical members change nothing, different ones average in probability. */
class EnsembleTest {

    @Test
    void twoIdenticalMembersDecodeAsTheOneModel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 21, 2.5f);
            CaptionDecoder twin = TinyDecoders.copyOf(manager, decoder);
            Ensemble ensemble = Ensemble.of(decoder, twin);
            assertEquals(2, ensemble.size());
            NDArray grid = TinyDecoders.grid(manager, 4, 8); // (4, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (4, D)

            GreedySearch greedy = new GreedySearch(7);
            List<Hypothesis> one = greedy.decode(decoder, grid, pooled).captions();
            List<Hypothesis> two = greedy.decode(ensemble, grid, pooled).captions();
            BeamSearch beam = BeamSearch.builder().setBeamSize(3).setMaxLength(7).optNBest(3).build();
            List<List<Hypothesis>> oneBeam = beam.search(decoder, grid, pooled).nBest();
            List<List<Hypothesis>> twoBeam = beam.search(ensemble, grid, pooled).nBest();
            for (int i = 0; i < 4; i++) {
                assertSame(one.get(i), two.get(i), "greedy, image " + i);
                for (int rank = 0; rank < 3; rank++) {
                    assertSame(oneBeam.get(i).get(rank), twoBeam.get(i).get(rank), "beam, image " + i + " rank " + rank);
                }
            }
        }
    }

    private static void assertSame(Hypothesis expected, Hypothesis actual, String what) {
        assertArrayEquals(expected.words(), actual.words(), what);
        assertEquals(expected.finished(), actual.finished(), what);
        assertEquals(expected.logProb(), actual.logProb(), 1e-5, what);
        for (int t = 0; t < expected.words().length; t++) {
            assertArrayEquals(expected.alphas()[t], actual.alphas()[t], 1e-6f, what + " alpha " + t);
        }
    }

    @Test
    void theNextWordDistributionIsTheMeanOfTheMembersProbabilities() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder[] members = {
                TinyDecoders.decoder(manager, CellType.LSTM, true, 1, 3f),
                TinyDecoders.decoder(manager, CellType.GRU, true, 2, 3f),
                TinyDecoders.decoder(manager, CellType.LSTM, false, 3, 3f),
            };
            Ensemble ensemble = Ensemble.of(members);
            NDArray grid = TinyDecoders.grid(manager, 2, 4); // (2, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (2, D)
            NDArray tokens = manager.create(new long[] {Vocabulary.START_ID, Vocabulary.START_ID}); // (2)
            ParameterStore ps = new ParameterStore(manager, false);
            for (boolean banEnd : new boolean[] {false, true}) {
                SearchModel.Next<List<Object>> out = ensemble.step(ps, ensemble.start(ps, grid, pooled), tokens, banEnd);
                float[] actual = out.logProbs().toFloatArray(); // (2 * V)
                double[] mean = new double[actual.length];
                float[] alphaSum = new float[2 * TinyDecoders.L];
                for (CaptionDecoder member : members) {
                    CaptionDecoder.Step step = member.step(ps, member.start(ps, grid, pooled, false), tokens, false);
                    float[] logits = step.logits().toFloatArray();
                    for (int row = 0; row < 2; row++) {
                        float[] rowLogits = java.util.Arrays.copyOfRange(logits, row * TinyDecoders.V, (row + 1) * TinyDecoders.V);
                        double[] logp = TinyDecoders.logSoftmax(rowLogits, banEnd);
                        for (int w = 0; w < TinyDecoders.V; w++) {
                            mean[row * TinyDecoders.V + w] += Math.exp(logp[w]) / members.length;
                        }
                    }
                    if (step.alpha() != null) {
                        float[] alpha = step.alpha().toFloatArray();
                        for (int i = 0; i < alpha.length; i++) {
                            alphaSum[i] += alpha[i];
                        }
                    }
                }
                for (int i = 0; i < actual.length; i++) {
                    if (banEnd && i % TinyDecoders.V == Vocabulary.END_ID) {
                        assertEquals(Float.NEGATIVE_INFINITY, actual[i], "<end> banned in every member");
                    } else {
                        assertEquals(Math.log(mean[i]), actual[i], 1e-5, "log of the mean probability, entry " + i);
                    }
                }
                float[] alpha = out.alpha().toFloatArray(); // (2 * L): the two attending members' mean
                for (int i = 0; i < alpha.length; i++) {
                    assertEquals(alphaSum[i] / 2, alpha[i], 1e-6);
                }
            }
        }
    }

    @Test
    void plainMembersOnlyHaveNoAlpha() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Ensemble ensemble = Ensemble.of(TinyDecoders.decoder(manager, CellType.GRU, false, 1, 2f),
                    TinyDecoders.decoder(manager, CellType.LSTM, false, 2, 2f));
            NDArray pooled = TinyDecoders.grid(manager, 2, 4).mean(new int[] {1}); // (2, D)
            ParameterStore ps = new ParameterStore(manager, false);
            SearchModel.Next<List<Object>> out = ensemble.step(ps, ensemble.start(ps, null, pooled),
                    manager.create(new long[] {1, 1}), false);
            assertNull(out.alpha());
            List<Hypothesis> captions = new GreedySearch(5).decode(ensemble, null, pooled).captions();
            assertEquals(2, captions.size());
            for (Hypothesis caption : captions) {
                for (float[] alpha : caption.alphas()) {
                    assertEquals(0, alpha.length);
                }
            }
        }
    }

    @Test
    void membersMustShareOneVocabulary() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder six = TinyDecoders.decoder(manager, CellType.LSTM, true, 1, 1f, 6);
            CaptionDecoder seven = TinyDecoders.decoder(manager, CellType.LSTM, true, 1, 1f, 7);
            IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> Ensemble.of(six, seven));
            assertEquals("ensemble members must share one vocabulary: member 0 has V=6, member 1 has V=7", sizes.getMessage());

            Vocabulary cats = Vocabulary.build(List.of(List.of("a", "cat")), 1);
            Vocabulary dogs = Vocabulary.build(List.of(List.of("a", "dog")), 1);
            CaptionDecoder other = TinyDecoders.decoder(manager, CellType.GRU, false, 2, 1f, 6);
            IllegalArgumentException words = assertThrows(IllegalArgumentException.class,
                    () -> Ensemble.builder().addMember(six, cats).addMember(other, dogs).build());
            assertTrue(words.getMessage().contains("'cat' for member 0 but 'dog' for member 1"), words.getMessage());
            assertEquals(2, Ensemble.builder().addMember(six, cats).addMember(other, cats).build().size());

            IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                    () -> Ensemble.builder().addMember(seven, cats).build());
            assertEquals("ensemble member 0 has V=7 but its vocabulary holds 6 words", wrongSize.getMessage());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Ensemble.builder().build());
            assertEquals("an ensemble needs at least one member", empty.getMessage());
        }
    }
}
