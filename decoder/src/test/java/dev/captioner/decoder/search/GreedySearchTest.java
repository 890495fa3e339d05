package dev.captioner.decoder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.TinyDecoders.Sequence;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Greedy decoding against the exhaustive list of captions: at every step it takes the most likely token. */
class GreedySearchTest {

    @Test
    void greedyTakesTheMostLikelyTokenAtEveryStep() {
        int maxLength = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.GRU, true, 13, 2f);
            NDArray grid = TinyDecoders.grid(manager, 3, 6); // (3, L, D)
            NDArray pooled = grid.mean(new int[] {1}); // (3, D)
            List<Hypothesis> captions = new GreedySearch(maxLength).decode(decoder, grid, pooled).captions();
            for (int image = 0; image < 3; image++) {
                List<Sequence> all = TinyDecoders.enumerate(decoder, grid, image, maxLength, false);
                Hypothesis greedy = captions.get(image);
                int[] path = tokens(greedy.words(), greedy.finished());
                assertEquals(Math.log(mass(all, path)), greedy.logProb(), 1e-4, "image " + image + ": the path's log-probability");
                for (int t = 0; t < path.length; t++) {
                    double chosen = mass(all, Arrays.copyOf(path, t + 1));
                    for (int w = 0; w < TinyDecoders.V; w++) {
                        int[] other = Arrays.copyOf(path, t + 1);
                        other[t] = w;
                        assertTrue(mass(all, other) <= chosen + 1e-6, "image " + image + " step " + t + ": token " + w + " is likelier");
                    }
                }
            }
        }
    }

    /** The captions' tokens, {@code <end>} included where finished. */
    private static int[] tokens(int[] words, boolean finished) {
        int[] out = Arrays.copyOf(words, words.length + (finished ? 1 : 0));
        if (finished) {
            out[words.length] = Vocabulary.END_ID;
        }
        return out;
    }

    /**
     * p(the caption starts with {@code prefix}): the captions of the list that start with it partition
     * that mass (every caption up to the maximum length is in the list).
     */
    private static double mass(List<Sequence> all, int[] prefix) {
        double sum = 0;
        for (Sequence s : all) {
            int[] t = tokens(s.words(), s.finished());
            if (t.length >= prefix.length && Arrays.equals(Arrays.copyOf(t, prefix.length), prefix)) {
                sum += Math.exp(s.logProb());
            }
        }
        return sum;
    }
}
