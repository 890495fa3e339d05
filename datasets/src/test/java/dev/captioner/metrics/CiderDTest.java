package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDEr-D on two- and three-image sets whose weights are multiples of ln 2 and ln 3. */
class CiderDTest {
    private static final double RELATIVE = 1e-14;

    @Test
    void repeatedCandidateWordIsClipped() {
        // N = 2, "dog" and "cat" each in one image's references: idf = ln 2 for both.
        // Image 1, order 1: w_c(dog) = 2 ln2, w_s(dog) = ln2; min(2 ln2, ln2) * ln2 / (2 ln2 * ln2) = 1/2
        // (the cosine alone would be 1). Order 2: the reference has no bigram, norm 0, so 0.
        // Lengths in bigrams are 1 and 0: penalty exp(-1/72). Score = 10 * (1/2 * exp(-1/72)) / 4.
        CorpusScore cider = CiderD.score(List.of("dog dog", "cat"), List.of(List.of("dog"), List.of("cat")));
        double dog = 10 * (0.5 * Math.exp(-1.0 / 72)) / 4;
        assertRelative(dog, cider.image(0));
        assertRelative(2.5, cider.image(1)); // a perfect one-token match: only order 1 counts
        assertRelative((dog + 2.5) / 2, cider.corpus());
    }

    @Test
    void oneImageSetScoresZero() {
        // idf = ln 1 - ln 1 = 0 for every n-gram
        CorpusScore cider = CiderD.score(List.of("a red circle"), List.of(List.of("a red circle")));
        assertEquals(0.0, cider.corpus());
        assertEquals(0.0, cider.image(0));
    }

    @Test
    void nGramsInEveryImagesReferencesWeighNothing() {
        // "a" is in both images' references (idf 0); image 1's candidate has nothing else
        CorpusScore cider = CiderD.score(List.of("a", "a dog"), List.of(List.of("a cat"), List.of("a dog")));
        assertEquals(0.0, cider.image(0));
    }

    @Test
    void averagesOverReferencesAndCountsDocumentFrequencyOncePerImage() {
        // N = 3. "x" is in image 1's references twice but has df 1: idf = ln 3.
        // Image 1: candidate "x" against ["x", "x", "q"]: order-1 cosines 1, 1, 0 -> (2/3) * 10/4.
        // The penalties are all exp(0): every caption has 0 bigrams.
        CorpusScore cider = CiderD.score(List.of("x", "y", "z"),
                List.of(List.of("x", "x", "q"), List.of("y"), List.of("w")));
        assertRelative(10 * (2.0 / 4) / 3, cider.image(0));
        assertRelative(2.5, cider.image(1));
        assertEquals(0.0, cider.image(2));
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE);
    }
}
