package dev.captioner.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.TinyDecoders.Sequence;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Beam search against exhaustive search on tiny real decoders, where every caption can be listed. */
class BeamSearchTest {
    private static final int MAX_LENGTH = 4;
    /** More beams than candidates at any step (5^3 live prefixes x 6 words): the beam keeps everything. */
    private static final int ALL = 800;

    static LengthNormalization normalization(String name) {
        return switch (name) {
            case "none" -> LengthNormalization.none();
            case "mean" -> LengthNormalization.mean();
            default -> LengthNormalization.wu(Double.parseDouble(name));
        };
    }

    @ParameterizedTest(name = "{0} attention={1} normalisation={2}")
    @CsvSource({"LSTM, true, none", "LSTM, true, 0.7", "LSTM, true, mean", "GRU, false, none", "GRU, false, mean"})
    void aBeamWiderThanTheSearchSpaceFindsTheExactNBest(CellType cell, boolean attention, String lengthNormalization) {
        LengthNormalization norm = normalization(lengthNormalization);
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, cell, attention, 11, 3f);
            NDArray grid = TinyDecoders.grid(manager, 2, 5); // (2, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (2, D)
            int nBest = 5;
            BeamSearch search = BeamSearch.builder().setBeamSize(ALL).setMaxLength(MAX_LENGTH).optNBest(nBest)
                    .optLengthNormalization(norm).build();
            BeamSearch.Result result = search.search(decoder, attention ? grid : null, pooled);
            assertEquals(2, result.nBest().size());
            for (int image = 0; image < 2; image++) {
                List<Sequence> exhaustive = TinyDecoders.ranked(
                        TinyDecoders.finishedOnly(TinyDecoders.enumerate(decoder, grid, image, MAX_LENGTH, false)), norm);
                assertEquals(1 + 5 + 25 + 125, exhaustive.size(), "captions ending with <end> within 4 tokens");
                List<Hypothesis> found = result.nBest().get(image);
                assertEquals(nBest, found.size());
                for (int i = 0; i < nBest; i++) {
                    Sequence expected = exhaustive.get(i);
                    Hypothesis actual = found.get(i);
                    assertTrue(expected.score(norm) - exhaustive.get(i + 1).score(norm) > 1e-4, "no near-tie at rank " + i);
                    assertArrayEquals(expected.words(), actual.words(), "image " + image + " rank " + i + ": expected " + expected);
                    assertTrue(actual.finished());
                    assertEquals(expected.logProb(), actual.logProb(), 1e-4, "log-probability");
                    assertEquals(expected.score(norm), actual.score(), 1e-4, "score");
                    assertEquals(actual.words().length, actual.alphas().length, "one alpha per word");
                    for (float[] alpha : actual.alphas()) {
                        assertEquals(attention ? TinyDecoders.L : 0, alpha.length, "alpha over the L locations");
                    }
                }
            }
        }
    }

    @Test
    void lengthNormalisationChangesTheWinnerTowardsLongerCaptions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 11, 3f);
            NDArray grid = TinyDecoders.grid(manager, 4, 5); // (4, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (4, D)
            BeamSearch plain = BeamSearch.builder().setBeamSize(ALL).setMaxLength(MAX_LENGTH).build();
            BeamSearch mean = BeamSearch.builder().setBeamSize(ALL).setMaxLength(MAX_LENGTH)
                    .optLengthNormalization(LengthNormalization.mean()).build();
            List<Hypothesis> a = plain.search(decoder, grid, pooled).best();
            List<Hypothesis> b = mean.search(decoder, grid, pooled).best();
            int longer = 0;
            for (int i = 0; i < 4; i++) {
                assertTrue(b.get(i).length() >= a.get(i).length(), "the mean never prefers a shorter caption");
                assertTrue(a.get(i).logProb() >= b.get(i).logProb() - 1e-6, "unnormalised, the winner has the highest log-probability");
                assertEquals(b.get(i).logProb() / b.get(i).length(), b.get(i).score(), 1e-6);
                longer += b.get(i).length() > a.get(i).length() ? 1 : 0;
            }
            assertTrue(longer > 0, "on these images the mean picks a longer caption at least once");
        }
    }

    @ParameterizedTest(name = "{0} attention={1}")
    @CsvSource({"LSTM, true", "GRU, true", "LSTM, false"})
    void beamOfOneIsGreedy(CellType cell, boolean attention) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, cell, attention, 3, 2f);
            NDArray grid = TinyDecoders.grid(manager, 6, 9); // (6, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (6, D)
            Captions greedy = new GreedySearch(8).decode(decoder, attention ? grid : null, pooled);
            BeamSearch.Result beam = BeamSearch.builder().setBeamSize(1).setMaxLength(8).build()
                    .search(decoder, attention ? grid : null, pooled);
            for (int i = 0; i < 6; i++) {
                Hypothesis g = greedy.captions().get(i);
                Hypothesis b = beam.best().get(i);
                assertArrayEquals(g.words(), b.words(), "image " + i);
                assertEquals(g.finished(), b.finished());
                assertEquals(g.logProb(), b.logProb(), 1e-5);
                for (int t = 0; t < g.words().length; t++) {
                    assertArrayEquals(g.alphas()[t], b.alphas()[t], 1e-6f);
                }
            }
        }
    }

    @Test
    void withEndBannedEveryBeamRunsAllStepsAndComesBackUnfinished() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 11, 3f);
            NDArray grid = TinyDecoders.grid(manager, 2, 5); // (2, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (2, D)
            // The benchmark's setting: <end> banned at every step, so no caption can finish.
            BeamSearch search = BeamSearch.builder().setBeamSize(ALL).setMaxLength(MAX_LENGTH).optMinLength(MAX_LENGTH)
                    .optNBest(3).build();
            BeamSearch.Result result = search.search(decoder, grid, pooled);
            for (int image = 0; image < 2; image++) {
                List<Sequence> exhaustive = TinyDecoders.ranked(TinyDecoders.enumerate(decoder, grid, image, MAX_LENGTH, true),
                        LengthNormalization.none());
                assertEquals(625, exhaustive.size(), "5^4 captions of 4 words");
                List<Hypothesis> found = result.nBest().get(image);
                assertEquals(3, found.size());
                for (int i = 0; i < 3; i++) {
                    assertFalse(found.get(i).finished());
                    assertEquals(MAX_LENGTH, found.get(i).words().length);
                    assertArrayEquals(exhaustive.get(i).words(), found.get(i).words(), "rank " + i);
                    assertEquals(exhaustive.get(i).logProb(), found.get(i).logProb(), 1e-4);
                }
            }
        }
    }

    @Test
    void finishedCaptionsComeFirstThenTheBestPartialOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 11, 3f);
            NDArray grid = TinyDecoders.grid(manager, 1, 5); // (1, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (1, D)
            // One token: the only caption that can finish is the empty one, "<end>".
            BeamSearch.Result result = BeamSearch.builder().setBeamSize(4).setMaxLength(1).optNBest(4).build()
                    .search(decoder, grid, pooled);
            List<Hypothesis> found = result.nBest().get(0);
            List<Sequence> exhaustive = TinyDecoders.enumerate(decoder, grid, 0, 1, false);
            List<Sequence> partial = TinyDecoders.ranked(exhaustive.stream().filter(s -> !s.finished()).toList(),
                    LengthNormalization.none());
            int endRank = (int) exhaustive.stream().filter(s -> s.logProb() > exhaustive.stream()
                    .filter(Sequence::finished).findFirst().orElseThrow().logProb()).count();
            assertEquals(4, found.size());
            assertTrue(endRank > 0 && endRank < 4, "this model ranks <end> among the 4 best first tokens, not first: " + endRank);
            // The finished caption comes first although partial ones score higher.
            assertTrue(found.get(0).finished());
            assertEquals(0, found.get(0).words().length);
            assertTrue(found.get(1).logProb() > found.get(0).logProb());
            for (int i = 1; i < 4; i++) {
                assertFalse(found.get(i).finished());
                assertArrayEquals(partial.get(i - 1).words(), found.get(i).words());
                assertEquals(partial.get(i - 1).logProb(), found.get(i).logProb(), 1e-5);
            }
        }
    }

    @Test
    void imagesSearchedTogetherGetWhatEachGetsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.GRU, true, 5, 2.5f);
            NDArray grid = TinyDecoders.grid(manager, 5, 2); // (5, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (5, D)
            BeamSearch search = BeamSearch.builder().setBeamSize(3).setMaxLength(7).optNBest(2)
                    .optLengthNormalization(LengthNormalization.wu(0.7)).build();
            BeamSearch.Result together = search.search(decoder, grid, pooled);
            for (int i = 0; i < 5; i++) {
                NDArray one = grid.get(i + ":" + (i + 1)); // (1, L, D)
                BeamSearch.Result alone = search.search(decoder, one, one.mean(new int[] {1}));
                for (int rank = 0; rank < 2; rank++) {
                    Hypothesis a = alone.nBest().get(0).get(rank);
                    Hypothesis b = together.nBest().get(i).get(rank);
                    assertArrayEquals(a.words(), b.words(), "image " + i + " rank " + rank);
                    assertEquals(a.score(), b.score(), 1e-5);
                    assertTrue(rank == 0 || b.score() <= together.nBest().get(i).get(rank - 1).score() || !b.finished(),
                            "n-best in order");
                }
            }
        }
    }

    @Test
    void memoryStaysFlatAndTheFeaturesStayTheCallers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 3, 2f);
            NDArray grid = TinyDecoders.grid(manager, 4, 9); // (4, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (4, D)
            BeamSearch beam = BeamSearch.builder().setBeamSize(3).setMaxLength(6).build();
            SampledSearch sampled = SampledSearch.builder().setMaxLength(6).build();
            int before = manager.getManagedArrays().size();
            for (int run = 0; run < 3; run++) {
                beam.search(decoder, grid, pooled);
                new GreedySearch(6).decode(decoder, grid, pooled);
                sampled.sample(Ensemble.of(decoder, decoder), grid, pooled, new java.util.SplittableRandom(run));
                assertEquals(before, manager.getManagedArrays().size(), "live arrays after run " + run);
            }
            assertTrue(grid.getManager() == manager && pooled.getManager() == manager, "the features are back in the caller's manager");
            assertEquals(4 * TinyDecoders.L * TinyDecoders.D, grid.toFloatArray().length, "and still readable");
        }
    }

    @Test
    void lengthPenaltiesAreTheFormulas() {
        assertEquals(1.0, LengthNormalization.none().penalty(7));
        assertEquals(7.0, LengthNormalization.mean().penalty(7));
        assertEquals(Math.pow(12.0 / 6.0, 0.7), LengthNormalization.wu(0.7).penalty(7), 1e-12);
        assertEquals(1.0, LengthNormalization.wu(0).penalty(7));
        assertEquals(-2.0 / Math.pow(12.0 / 6.0, 0.7), LengthNormalization.wu(0.7).score(-2, 7), 1e-12);
    }
}
