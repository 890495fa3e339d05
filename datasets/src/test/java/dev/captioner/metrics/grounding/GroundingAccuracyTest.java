package dev.captioner.metrics.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.Shape;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.metrics.grounding.WordGrounding.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroundingAccuracyTest {
    /** Image 0, 100×100: a large red circle top left, a small blue circle bottom right, a small red cross top right. */
    static final SynthAnnotation LARGE_RED_CIRCLE = object(1, 0, Shape.CIRCLE, Colour.RED, ObjectSize.LARGE, 10, 10, 30, 30);
    static final SynthAnnotation SMALL_BLUE_CIRCLE = object(2, 0, Shape.CIRCLE, Colour.BLUE, ObjectSize.SMALL, 60, 60, 20, 20);
    static final SynthAnnotation SMALL_RED_CROSS = object(3, 0, Shape.CROSS, Colour.RED, ObjectSize.SMALL, 60, 5, 30, 30);
    static final List<SynthAnnotation> THREE = List.of(LARGE_RED_CIRCLE, SMALL_BLUE_CIRCLE, SMALL_RED_CROSS);

    static SynthAnnotation object(long id, long image, Shape shape, Colour colour, ObjectSize size, int x, int y, int w, int h) {
        return new SynthAnnotation(id, image, shape, new BoundingBox(x, y, w, h), w * h / 2.0, colour, size);
    }

    /** A rows×cols grid of small weights with 1 at (r, c). */
    static float[][] peakAt(int rows, int cols, int r, int c) {
        float[][] grid = new float[rows][cols];
        for (float[] row : grid) {
            Arrays.fill(row, 0.01f);
        }
        grid[r][c] = 1;
        return grid;
    }

    static float[][] flat(int rows, int cols) {
        float[][] grid = new float[rows][cols];
        for (float[] row : grid) {
            Arrays.fill(row, 1f / (rows * cols));
        }
        return grid;
    }

    /** A caption over a 2×2 grid on the whole 100×100 image; {@code peaks} gives (word, row, col) for chosen words. */
    static GroundingCase caption(long image, String text, List<SynthAnnotation> objects, GridRegion region, int size, int[]... peaks) {
        List<String> words = List.of(text.split(" "));
        List<float[][]> alphas = new ArrayList<>();
        for (int t = 0; t < words.size(); t++) {
            alphas.add(flat(size, size));
        }
        for (int[] p : peaks) {
            alphas.set(p[0], peakAt(size, size, p[1], p[2]));
        }
        return new GroundingCase(image, words, alphas, region, objects);
    }

    @Test
    void mentionsReadTheColourAndSizeWordsRightBeforeTheNoun() {
        List<ObjectMention> m = ObjectMention.find(List.of(
                "a", "small", "red", "cross", "and", "two", "circles", "the", "star", "is", "blue", "red", "large", "hexagon",
                "red", "red", "square", "shapes"));
        assertEquals(5, m.size(), m.toString());
        assertEquals(new ObjectMention(3, "cross", Shape.CROSS, Colour.RED, ObjectSize.SMALL), m.get(0));
        assertEquals(new ObjectMention(6, "circles", Shape.CIRCLE, null, null), m.get(1));
        assertEquals(new ObjectMention(8, "star", Shape.STAR, null, null), m.get(2), "words after the noun are not read");
        assertEquals(new ObjectMention(13, "hexagon", Shape.HEXAGON, Colour.RED, ObjectSize.LARGE), m.get(3),
                "either order; a second colour word ends the modifiers");
        assertEquals(new ObjectMention(16, "square", Shape.SQUARE, Colour.RED, null), m.get(4));
        assertEquals("small red cross", m.get(0).phrase());
        assertEquals(Shape.CROSS, ObjectMention.shapeOf("crosses"));
        assertNull(ObjectMention.shapeOf("shapes"));
    }

    /** Each hallucination is told by the word it gets wrong, judged against the objects of its shape. */
    @Test
    void aHallucinationIsToldByTheWordItGetsWrong() {
        Map<String, ObjectMention.Hallucination> expected = new java.util.LinkedHashMap<>();
        expected.put("small red circle", ObjectMention.Hallucination.SIZE); // the red circle is large
        expected.put("large blue circle", ObjectMention.Hallucination.SIZE);
        expected.put("large green circle", ObjectMention.Hallucination.COLOUR); // the large circle is red
        expected.put("blue cross", ObjectMention.Hallucination.COLOUR);
        expected.put("large green cross", ObjectMention.Hallucination.COLOUR_AND_SIZE); // the cross is small and red
        expected.put("red star", ObjectMention.Hallucination.SHAPE);
        expected.put("stars", ObjectMention.Hallucination.SHAPE);
        expected.put("small blue circle", null); // there: no hallucination
        expected.put("circles", null);
        for (var phrase : expected.entrySet()) {
            List<ObjectMention> mentions = ObjectMention.find(List.of(phrase.getKey().split(" ")));
            assertEquals(1, mentions.size(), phrase.getKey());
            assertEquals(phrase.getValue(), mentions.get(0).hallucination(THREE), phrase.getKey());
        }

        GroundingCase c = caption(0, "a small red circle a blue cross a red star and a large red circle", THREE,
                GridRegion.wholeImage(100, 100), 2);
        GroundingReport report = GroundingAccuracy.evaluate(List.of(c));
        assertEquals(new GroundingCounts(4, 1, 0, 3), report.overall()); // a flat map peaks on the first cell: (25, 25), a hit
        assertEquals(Map.of(ObjectMention.Hallucination.SIZE, 1L, ObjectMention.Hallucination.COLOUR, 1L,
                ObjectMention.Hallucination.COLOUR_AND_SIZE, 0L, ObjectMention.Hallucination.SHAPE, 1L), report.hallucinations());
        double kinds = 0;
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            kinds += report.hallucinationRate(kind);
        }
        assertEquals(report.hallucinationRate(), kinds, 1e-12, "the kinds add up to the rate");
        GroundingReport older = new GroundingReport(1, report.overall(), report.bySize(), report.byObjectCount(), null);
        assertTrue(older.hallucinations().isEmpty(), "a report saved before the kinds were counted has none");
        assertTrue(Double.isNaN(older.hallucinationRate(ObjectMention.Hallucination.SIZE)));
    }

    @Test
    void hitsMissesAndHallucinationsOfOneCaption() {
        // 2×2 grid over the whole image: cell centres (25, 25), (75, 25), (25, 75), (75, 75).
        GroundingCase c = caption(0, "a large red circle a blue circle a green star two circles a small red cross", THREE,
                GridRegion.wholeImage(100, 100), 2,
                new int[] {3, 0, 0}, // large red circle -> (25, 25), in its box: hit
                new int[] {6, 0, 1}, // blue circle -> (75, 25), not in (60..80, 60..80): miss
                new int[] {9, 1, 1}, // green star: none in the image
                new int[] {11, 1, 1}, // circles -> (75, 75), in the blue circle's box: hit, small
                new int[] {15, 1, 0}); // small red cross -> (25, 75): miss
        List<WordGrounding> words = GroundingAccuracy.ground(c);
        assertEquals(List.of(Outcome.HIT, Outcome.MISS, Outcome.HALLUCINATION, Outcome.HIT, Outcome.MISS),
                words.stream().map(WordGrounding::outcome).toList());
        assertEquals(25, words.get(0).peakX());
        assertEquals(25, words.get(0).peakY());
        assertEquals(LARGE_RED_CIRCLE, words.get(0).object());
        assertEquals(List.of(SMALL_BLUE_CIRCLE), words.get(1).targets());
        assertEquals(List.of(), words.get(2).targets());
        assertNull(words.get(2).size());
        assertEquals(List.of(LARGE_RED_CIRCLE, SMALL_BLUE_CIRCLE), words.get(3).targets());
        assertEquals(SMALL_BLUE_CIRCLE, words.get(3).object(), "counted under the size of the box it hit");

        GroundingReport report = GroundingAccuracy.evaluate(List.of(c));
        assertEquals(new GroundingCounts(5, 2, 2, 1), report.overall());
        assertEquals(0.5, report.accuracy());
        assertEquals(0.2, report.hallucinationRate());
        assertEquals(new GroundingCounts(1, 1, 0, 0), report.bySize().get(ObjectSize.LARGE));
        assertEquals(new GroundingCounts(3, 1, 2, 0), report.bySize().get(ObjectSize.SMALL));
        assertEquals(1.0, report.accuracy(ObjectSize.LARGE));
        assertEquals(1.0 / 3, report.accuracy(ObjectSize.SMALL));
        assertEquals(Map.of(3, new GroundingCounts(5, 2, 2, 1)), report.byObjectCount());
        assertEquals(1, report.images());
    }

    @Test
    void anAmbiguousMissCountsUnderTheNearestTarget() {
        // 4×4 grid: cell centres at 12.5, 37.5, 62.5, 87.5.
        GroundingCase c = caption(0, "two circles and two circles", THREE, GridRegion.wholeImage(100, 100), 4,
                new int[] {1, 0, 3}, // (87.5, 12.5): 47.5 from the large circle, 48.1 from the small one
                new int[] {4, 2, 3}); // (87.5, 62.5): 7.5 from the small circle's box
        List<WordGrounding> words = GroundingAccuracy.ground(c);
        assertEquals(List.of(Outcome.MISS, Outcome.MISS), words.stream().map(WordGrounding::outcome).toList());
        assertEquals(ObjectSize.LARGE, words.get(0).size());
        assertEquals(ObjectSize.SMALL, words.get(1).size());
        GroundingReport report = GroundingAccuracy.evaluate(List.of(c));
        assertEquals(new GroundingCounts(1, 0, 1, 0), report.bySize().get(ObjectSize.LARGE));
        assertEquals(new GroundingCounts(1, 0, 1, 0), report.bySize().get(ObjectSize.SMALL));
        assertEquals(0.0, report.accuracy());
        assertEquals(0.0, report.hallucinationRate());
    }

    @Test
    void thePeakIsMappedThroughTheCropTheEncoderSaw() {
        // A 200×100 image whose centre 100×100 the encoder saw: cell (0, 0) of a 2×2 grid is centred at (75, 25).
        SynthAnnotation square = object(1, 7, Shape.SQUARE, Colour.YELLOW, ObjectSize.LARGE, 60, 10, 30, 30);
        GroundingCase cropped = caption(7, "a yellow square", List.of(square), new GridRegion(50, 0, 100, 100), 2, new int[] {2, 0, 0});
        WordGrounding word = GroundingAccuracy.ground(cropped).get(0);
        assertEquals(75, word.peakX());
        assertEquals(25, word.peakY());
        assertEquals(Outcome.HIT, word.outcome());
        // Read as if the grid covered the whole image, the same cell is centred at (50, 25): outside the box.
        GroundingCase whole = caption(7, "a yellow square", List.of(square), GridRegion.wholeImage(200, 100), 2, new int[] {2, 0, 0});
        assertEquals(Outcome.MISS, GroundingAccuracy.ground(whole).get(0).outcome());
    }

    @Test
    void aBoxHoldsItsLeftEdgeButNotItsRightOne() {
        // A 1×1 grid over 100×100 peaks at (50, 50).
        SynthAnnotation left = object(1, 0, Shape.STAR, Colour.GREEN, ObjectSize.SMALL, 0, 0, 50, 100);
        SynthAnnotation right = object(2, 0, Shape.STAR, Colour.ORANGE, ObjectSize.LARGE, 50, 0, 50, 100);
        GridRegion all = GridRegion.wholeImage(100, 100);
        assertEquals(Outcome.MISS, GroundingAccuracy.ground(caption(0, "a green star", List.of(left, right), all, 1)).get(0).outcome());
        assertEquals(Outcome.HIT, GroundingAccuracy.ground(caption(0, "an orange star", List.of(left, right), all, 1)).get(0).outcome());
    }

    @Test
    void tiesGoToTheFirstCellAndTotalsAccumulateOverImages() {
        // Flat grids peak at cell (0, 0): (25, 25), inside the large red circle.
        GroundingAccuracy accuracy = new GroundingAccuracy();
        accuracy.add(caption(0, "a red circle", THREE, GridRegion.wholeImage(100, 100), 2));
        SynthAnnotation lone = object(9, 1, Shape.DIAMOND, Colour.PURPLE, ObjectSize.SMALL, 70, 70, 20, 20);
        accuracy.add(caption(1, "a purple diamond and a red diamond", List.of(lone), GridRegion.wholeImage(100, 100), 2));
        accuracy.add(caption(2, "there are no shapes", List.of(), GridRegion.wholeImage(100, 100), 2));
        GroundingReport report = accuracy.report();
        assertEquals(3, report.images());
        assertEquals(new GroundingCounts(3, 1, 1, 1), report.overall());
        assertEquals(new GroundingCounts(1, 1, 0, 0), report.byObjectCount().get(3));
        assertEquals(new GroundingCounts(2, 0, 1, 1), report.byObjectCount().get(1));
        assertEquals(GroundingCounts.ZERO, report.byObjectCount().get(0));
        assertEquals(List.of(0, 1, 3), List.copyOf(report.byObjectCount().keySet()));
        assertEquals(new GroundingCounts(1, 0, 1, 0), report.bySize().get(ObjectSize.SMALL));
    }

    @Test
    void nothingToGroundIsNaNNotZero() {
        GroundingReport report = GroundingAccuracy.evaluate(List.of());
        assertTrue(Double.isNaN(report.accuracy()));
        assertTrue(Double.isNaN(report.hallucinationRate()));
        assertTrue(Double.isNaN(report.accuracy(ObjectSize.SMALL)));
        assertEquals(0, report.images());
    }

    @Test
    void badInputIsNamedInOneLine() {
        GridRegion all = GridRegion.wholeImage(100, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroundingCase(4, List.of("a", "circle"), List.<float[][]>of(flat(2, 2)), all, List.of()));
        assertEquals("image 4: 2 words but 1 attention grids (one per word is needed; a plain decoder has none and cannot"
                + " be grounded)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GroundingCase(4, List.of("a", "circle"), List.of(flat(2, 2), flat(3, 3)), all, List.of()));
        assertEquals("image 4: word 1 has a 3x3 attention grid, word 0 a 2x2 one", e.getMessage());
        float[][] nan = {{Float.NaN, Float.NaN}};
        GroundingCase noNumbers = new GroundingCase(4, List.of("circle"), List.<float[][]>of(nan), all, List.of());
        e = assertThrows(IllegalArgumentException.class, () -> GroundingAccuracy.ground(noNumbers));
        assertEquals("image 4: the attention grid of word 0 (\"circle\") holds no number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GroundingCase(5, List.of(), List.of(), all, List.of(LARGE_RED_CIRCLE)));
        assertEquals("image 5: object 1 belongs to image 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GridRegion(0, 0, 0, 10));
    }
}
