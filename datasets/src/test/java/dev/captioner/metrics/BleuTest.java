package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BLEU on sets small enough to count by hand. */
class BleuTest {
    // the epsilons move scores by ~1e-9 relative; closed forms below leave them out
    private static final double EPSILONS = 1e-8;

    @Test
    void twoImagesSumTheirStatisticsBeforeTheFormula() {
        // image A matches exactly: c=4, r=4, guess [4,3,2,1], correct [4,3,2,1]
        // image B: c=2, r=3, guess [2,1,0,0], correct [1,0,0,0] ("a" matches, "a x" does not)
        Bleu.Scores bleu = Bleu.score(List.of("a b c d", "a x"), List.of(List.of("a b c d"), List.of("a y z")));

        Bleu.Stats stats = bleu.stats();
        assertEquals(6, stats.testlen());
        assertEquals(7, stats.reflen());
        assertEquals("{'testlen': 6, 'reflen': 7, 'guess': [6, 4, 2, 1], 'correct': [5, 3, 2, 1]}", stats.toString());

        // corpus: p = 5/6, 3/4, 2/2, 1/1 and c < r, so BP = exp(1 - 7/6)
        double bp = Math.exp(1 - 7.0 / 6);
        assertEquals(5.0 / 6 * bp, bleu.bleu(1).corpus(), EPSILONS);
        assertEquals(Math.pow(5.0 / 6 * 3 / 4, 1.0 / 2) * bp, bleu.bleu(2).corpus(), EPSILONS);
        assertEquals(Math.pow(5.0 / 6 * 3 / 4, 1.0 / 3) * bp, bleu.bleu(3).corpus(), EPSILONS);
        assertEquals(Math.pow(5.0 / 6 * 3 / 4, 1.0 / 4) * bp, bleu.bleu(4).corpus(), EPSILONS);

        // per image, each with its own statistics and brevity penalty
        assertEquals(1.0, bleu.bleu(4).image(0), EPSILONS);
        assertEquals(0.5 * Math.exp(1 - 3.0 / 2), bleu.bleu(1).image(1), EPSILONS);
        // B has no matching bigram: p_2 = 1e-15 / (1 + 1e-9), tiny but not 0
        double b2 = Math.sqrt((1 + 1e-15) / (2 + 1e-9) * (0 + 1e-15) / (1 + 1e-9))
                * Math.exp(1 - (3 + 1e-9) / (2 + 1e-15));
        assertEquals(b2, bleu.bleu(2).image(1), b2 * 1e-12);

        // the corpus score is not the mean of the image scores
        assertNotEquals((bleu.bleu(1).image(0) + bleu.bleu(1).image(1)) / 2, bleu.bleu(1).corpus(), 1e-3);
    }

    @Test
    void repeatedCandidateWordsAreClippedByTheBestSingleReference() {
        // "the" 3 times and "the the" twice; one reference holds "the" twice and "the the" once, the
        // other "the" once: counts are capped by the best single reference (2), not the sum over them (3)
        Bleu.Scores bleu = Bleu.score(List.of("the the the"), List.of(List.of("the the cat", "the dog")));
        assertEquals(2, bleu.stats().correct(1));
        assertEquals(1, bleu.stats().correct(2));
        assertEquals(3, bleu.stats().guess(1));
        assertEquals(2, bleu.stats().guess(2));
    }

    @Test
    void closestReferenceLengthTiesGoToTheShorter() {
        // candidate 7 tokens, references 5 and 9: both 2 away, 5 wins and there is no brevity penalty
        Bleu.Scores bleu = Bleu.score(List.of("a b c d e f g"),
                List.of(List.of("a b c d e", "a b c d e f g h i")));
        assertEquals(5, bleu.stats().reflen());
        assertEquals(1.0, bleu.bleu(1).corpus(), EPSILONS);
    }

    @Test
    void splitsOnAnyWhitespaceLikePythonStrSplit() {
        Bleu.Scores bleu = Bleu.score(List.of(" a\tb\u00a0 c\n"), List.of(List.of("a b c")));
        assertEquals(3, bleu.stats().testlen());
        assertEquals(3, bleu.stats().correct(1));
    }

    @Test
    void rejectsAnImageWithoutReferences() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bleu.score(List.of("a", "b"), List.of(List.of("a"), List.of())));
        assertEquals("the image at index 1 has no reference captions", e.getMessage());
    }
}
