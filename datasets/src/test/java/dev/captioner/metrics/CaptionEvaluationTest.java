package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionEvaluationTest {
    private static final List<Long> IDS = List.of(42L, 7L, 19L);
    private static final Map<Long, List<String>> CANDIDATES = Map.of(
            42L, List.of("a man riding a horse"),
            7L, List.of("a cat on a sofa"),
            19L, List.of("two dogs play in the snow"));
    private static final Map<Long, List<String>> REFERENCES = Map.of(
            42L, List.of("a man rides a brown horse", "a person on a horse"),
            7L, List.of("a cat sleeping on a sofa"),
            19L, List.of("two dogs playing in snow", "dogs in the snow", "two dogs run"));

    @Test
    void reportsTheCocoMetricsInCocoOrder() {
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(IDS, CANDIDATES, REFERENCES);
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"),
                List.copyOf(scores.toMap().keySet()));
        assertEquals(IDS, scores.imageIds());
        assertEquals(List.copyOf(scores.toMap().keySet()), List.copyOf(scores.image(7L).keySet()));
    }

    @Test
    void agreesWithTheScorersRunAlone() {
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(IDS, CANDIDATES, REFERENCES);
        List<String> cand = new ArrayList<>();
        List<List<String>> refs = new ArrayList<>();
        for (Long id : IDS) {
            cand.add(CANDIDATES.get(id).get(0));
            refs.add(REFERENCES.get(id));
        }
        Bleu.Scores bleu = Bleu.score(cand, refs);
        for (int n = 1; n <= 4; n++) {
            assertEquals(bleu.bleu(n), scores.metric("Bleu_" + n));
        }
        assertEquals(bleu.stats(), scores.bleuStats());
        assertEquals(RougeL.score(cand, refs), scores.metric("ROUGE_L"));
        assertEquals(CiderD.score(cand, refs), scores.metric("CIDEr"));
        // per-image scores follow the id list: image 7 is second
        assertEquals(scores.perImage("CIDEr")[1], scores.image(7L).get("CIDEr"));
    }

    /** A subset's mean is the mean of its images' own scores within the whole set; an image not scored is refused. */
    @Test
    void theMeanOfSomeImagesIsTheMeanOfTheirOwnScores() {
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(IDS, CANDIDATES, REFERENCES);
        double[] cider = scores.perImage("CIDEr");
        assertEquals((cider[0] + cider[2]) / 2, scores.mean("CIDEr", List.of(42L, 19L)));
        assertEquals(scores.image(7L).get("ROUGE_L"), scores.mean("ROUGE_L", List.of(7L)));
        assertEquals("image 8 was not scored",
                assertThrows(IllegalArgumentException.class, () -> scores.mean("CIDEr", List.of(8L))).getMessage());
    }

    @Test
    void perImageScoresFollowTheGivenOrder() {
        CaptionScores<Long> forward = CaptionEvaluation.evaluate(IDS, CANDIDATES, REFERENCES);
        List<Long> reversed = List.of(19L, 7L, 42L);
        CaptionScores<Long> backward = CaptionEvaluation.evaluate(reversed, CANDIDATES, REFERENCES);
        for (String metric : CaptionEvaluation.METRICS) {
            double[] f = forward.perImage(metric);
            double[] b = backward.perImage(metric);
            assertArrayEquals(new double[] {f[2], f[1], f[0]}, b, metric);
            assertEquals(forward.corpus(metric), backward.corpus(metric), 1e-15, metric);
        }
    }

    @Test
    void resultCannotBeChangedThroughItsArrays() {
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(IDS, CANDIDATES, REFERENCES);
        double[] cider = scores.perImage("CIDEr");
        double before = cider[0];
        Arrays.fill(cider, -1);
        assertEquals(before, scores.perImage("CIDEr")[0]);
    }

    @Test
    void rejectsAnImageWithoutCandidate() {
        Map<Long, List<String>> cand = new HashMap<>(CANDIDATES);
        cand.remove(7L);
        assertMessage("image 7 has no candidate caption", IDS, cand, REFERENCES);
    }

    @Test
    void rejectsTwoCandidatesForOneImage() {
        Map<Long, List<String>> cand = new HashMap<>(CANDIDATES);
        cand.put(42L, List.of("a horse", "a man"));
        assertMessage("image 42 has 2 candidate captions; exactly one is required", IDS, cand, REFERENCES);
    }

    @Test
    void rejectsAnImageWithoutReferences() {
        Map<Long, List<String>> refs = new HashMap<>(REFERENCES);
        refs.put(19L, List.of());
        assertMessage("image 19 has no reference captions", IDS, CANDIDATES, refs);
        refs.remove(19L);
        assertMessage("image 19 has no reference captions", IDS, CANDIDATES, refs);
    }

    @Test
    void rejectsCaptionsForImagesNotListed() {
        Map<Long, List<String>> refs = new HashMap<>(REFERENCES);
        refs.put(99L, List.of("an extra image"));
        assertMessage("there are reference captions for image 99, which is not among the image ids to score",
                IDS, CANDIDATES, refs);
        assertMessage("there are candidate captions for image 19, which is not among the image ids to score",
                List.of(42L, 7L), CANDIDATES, REFERENCES);
    }

    @Test
    void rejectsRepeatedIdsNullCaptionsAndEmptySets() {
        assertMessage("image 7 is listed more than once", List.of(42L, 7L, 7L), CANDIDATES, REFERENCES);
        Map<Long, List<String>> refs = new HashMap<>(REFERENCES);
        refs.put(7L, Arrays.asList("a cat", null));
        assertMessage("a reference caption of image 7 is null", IDS, CANDIDATES, refs);
        assertMessage("there are no images to score", List.of(), Map.of(), Map.of());
    }

    private static void assertMessage(String message, List<Long> ids, Map<Long, List<String>> cand,
            Map<Long, List<String>> refs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaptionEvaluation.evaluate(ids, cand, refs));
        assertEquals(message, e.getMessage());
    }
}
