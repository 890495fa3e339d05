package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUGE-L on captions whose LCS can be read off. */
class RougeLTest {
    private static final double EXACT = 1e-15;

    @Test
    void precisionAndRecallAreMaximisedOverReferencesIndependently() {
        // "a b" : LCS 2, P = 2/4, R = 2/2;   "a x b y c z" : LCS 3, P = 3/4, R = 3/6
        // so P = 3/4 (second reference) and R = 1 (first reference)
        double f = RougeL.sentence("a b c d", List.of("a b", "a x b y c z"));
        double p = 0.75;
        double r = 1.0;
        assertEquals((1 + 1.44) * p * r / (r + 1.44 * p), f, EXACT); // 1.83 / 2.08
        // the best single-reference F would be lower: 1.22 / 1.72 from the first reference
        assertEquals(1.83 / 2.08, f, 1e-12);
    }

    @Test
    void fIsOneWhenPrecisionAndRecallAreBothPerfectSomewhere() {
        assertEquals(1.0, RougeL.sentence("a red circle", List.of("red circle", "a big red circle here")), EXACT);
    }

    @Test
    void noCommonTokenScoresZero() {
        assertEquals(0.0, RougeL.sentence("a b", List.of("c d", "e")));
    }

    @Test
    void splitsOnSingleSpacesSoADoubleSpaceIsAnEmptyToken() {
        // "a  b" is ["a", "", "b"]: LCS with "a b" is 2, P = 2/3, R = 1
        double p = 2.0 / 3;
        assertEquals((1 + 1.44) * p / (1 + 1.44 * p), RougeL.sentence("a  b", List.of("a b")), EXACT);
    }

    @Test
    void corpusIsTheMeanOfTheImages() {
        CorpusScore rouge = RougeL.score(List.of("a b", "x"), List.of(List.of("a b"), List.of("y")));
        assertEquals(1.0, rouge.image(0), EXACT);
        assertEquals(0.0, rouge.image(1));
        assertEquals(0.5, rouge.corpus(), EXACT);
    }
}
