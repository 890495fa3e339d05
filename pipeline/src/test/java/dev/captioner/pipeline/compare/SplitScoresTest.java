package dev.captioner.pipeline.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.Shape;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.pipeline.model.Caption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two 64 × 64 images: image 1 holds a large red circle at the top left, image 2 a small blue square at the
 * bottom right and a green triangle. The attention grids are 2 × 2 over the whole image.
 */
class SplitScoresTest {
    private static final List<KarpathyImage> IMAGES = List.of(image(1, "a large red circle", "a red circle on the left"),
            image(2, "a small blue square and a green triangle", "a blue square beside a green triangle"));
    private static final Map<Long, List<SynthAnnotation>> OBJECTS = Map.of(
            1L, List.of(new SynthAnnotation(1, 1, Shape.CIRCLE, new BoundingBox(0, 0, 32, 32), 800, Colour.RED, ObjectSize.LARGE)),
            2L, List.of(new SynthAnnotation(2, 2, Shape.SQUARE, new BoundingBox(40, 40, 10, 10), 100, Colour.BLUE, ObjectSize.SMALL),
                    new SynthAnnotation(3, 2, Shape.TRIANGLE, new BoundingBox(0, 40, 20, 20), 200, Colour.GREEN, ObjectSize.LARGE)));
    private static final Map<Long, GridRegion> REGIONS = Map.of(1L, GridRegion.wholeImage(64, 64), 2L, GridRegion.wholeImage(64, 64));

    private static KarpathyImage image(long id, String... references) {
        List<KarpathySentence> sentences = new ArrayList<>();
        for (String reference : references) {
            sentences.add(new KarpathySentence(Arrays.asList(reference.split(" ")), reference));
        }
        return new KarpathyImage(id, "", id + ".jpg", "test", sentences);
    }

    /** A caption whose every word looks at the cell {@code (row, col)} of a 2 × 2 grid. */
    private static Caption looking(String text, int row, int col) {
        List<String> words = List.of(text.split(" "));
        List<float[][]> grids = new ArrayList<>();
        for (int t = 0; t < words.size(); t++) {
            float[][] grid = {{0.1f, 0.1f}, {0.1f, 0.1f}};
            grid[row][col] = 0.7f;
            grids.add(grid);
        }
        return new Caption(words, -1, grids);
    }

    @Test
    void groundingByWordOverallBySizeAndByObjectCount() {
        // image 1: "circle" looks at the top left: inside the circle, a hit (large);
        // image 2: "square" looks at the top left too: a miss (small); "yellow circle" names nothing there: a hallucination
        Map<Long, Caption> captions = Map.of(1L, looking("a red circle", 0, 0), 2L, looking("a blue square and a yellow circle", 0, 0));
        SplitScores.Scores scores = SplitScores.of(IMAGES, captions, OBJECTS, REGIONS);
        assertEquals(0.5, scores.overall().get(SplitScores.GROUNDING), 1e-12);
        assertEquals(1.0, scores.overall().get("Grounding (large)"), 1e-12);
        assertEquals(0.0, scores.overall().get("Grounding (small)"), 1e-12);
        assertEquals(1.0 / 3, scores.overall().get(SplitScores.HALLUCINATION), 1e-12);
        assertEquals(1.0, scores.byObjectCount().get(1).get(SplitScores.GROUNDING), 1e-12);
        assertEquals(0.0, scores.byObjectCount().get(2).get(SplitScores.GROUNDING), 1e-12);
        assertEquals(3, scores.grounding().overall().mentions());
    }

    @Test
    void byObjectCountCiderAveragesBackAndBleuIsTheGroupsOwnCorpus() {
        Map<Long, Caption> captions = Map.of(1L, looking("a red circle", 0, 0), 2L, looking("a blue square beside a triangle", 1, 1));
        SplitScores.Scores scores = SplitScores.of(IMAGES, captions, OBJECTS, null);
        for (String metric : List.of("CIDEr", "ROUGE_L")) {
            double mean = (scores.byObjectCount().get(1).get(metric) + scores.byObjectCount().get(2).get(metric)) / 2;
            assertEquals(scores.overall().get(metric), mean, 1e-12, metric + ": two groups of one image each");
        }
        Map<String, Double> alone = CaptionEvaluation.evaluate(List.of(2L), Map.of(2L, List.of("a blue square beside a triangle")),
                Map.of(2L, IMAGES.get(1).references())).toMap();
        assertEquals(alone.get("Bleu_4"), scores.byObjectCount().get(2).get("Bleu_4"), 1e-12);
        assertFalse(scores.overall().containsKey(SplitScores.GROUNDING), "a plain model is not grounded");
        assertNull(scores.grounding());
    }

    @Test
    void everyModelHasItsHallucinationsByTheWordGoneWrong() {
        // image 1: "small red circle" (the red circle is large: size) and "circle" (there);
        // image 2: "red square" (the square is blue: colour), "star" (none: shape), "green triangle" (there)
        Map<Long, Caption> captions = Map.of(1L, looking("a small red circle and a circle", 0, 0),
                2L, looking("a red square a star and a green triangle", 1, 1));
        for (Map<Long, GridRegion> regions : java.util.Arrays.asList(REGIONS, null)) {
            Map<String, Double> overall = SplitScores.of(IMAGES, captions, OBJECTS, regions).overall();
            assertEquals(3.0 / 5, overall.get(SplitScores.HALLUCINATION), 1e-12, "attention or not: " + regions);
            assertEquals(1.0 / 5, overall.get("Wrong size"), 1e-12);
            assertEquals(1.0 / 5, overall.get("Wrong colour"), 1e-12);
            assertEquals(0.0, overall.get("Wrong colour and size"), 1e-12);
            assertEquals(1.0 / 5, overall.get("Wrong shape"), 1e-12);
        }
        SplitScores.Scores attending = SplitScores.of(IMAGES, captions, OBJECTS, REGIONS);
        assertEquals(attending.grounding().hallucinationRate(), attending.overall().get(SplitScores.HALLUCINATION), 1e-12,
                "the grounding counts the same hallucinations");
    }
}
