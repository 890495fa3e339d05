package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NGramCorpusTest {

    @Test
    void countsDistinctNGramsPerOrderInOrderOfFirstOccurrence() {
        NGramCorpus corpus = NGramCorpus.of(List.of("a b a b a"), List.of(List.of("b a")));
        NGramCorpus.Counts c = corpus.candidates[0];
        assertEquals(5, c.length);
        // order 1: a x3, b x2; order 2: "a b" x2, "b a" x2; order 3: "a b a" x2, "b a b" x1; order 4: two, once each
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, c.start);
        assertArrayEquals(new int[] {3, 2, 2, 2, 2, 1, 1, 1}, c.counts);
        // the reference's "b a" is the candidate's second bigram: the same id
        NGramCorpus.Counts ref = corpus.references[0][0];
        assertEquals(c.ids[3], ref.ids[ref.start[1]]);
        assertNotEquals(c.ids[2], c.ids[3]);
        assertEquals(8, corpus.size);
    }

    @Test
    void emptyCaptionHasNoNGrams() {
        NGramCorpus.Counts c = NGramCorpus.of(List.of(""), List.of(List.of("a"))).candidates[0];
        assertEquals(0, c.length);
        assertEquals(0, c.ids.length);
    }
}
