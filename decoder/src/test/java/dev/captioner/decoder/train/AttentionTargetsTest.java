package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.Shape;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.metrics.grounding.GridRegion;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AttentionTargetsTest {
    // A 224 px scene under an 8 x 8 grid: cells 28 px wide, centres at 14, 42, ..., 210.
    private static final GridRegion WHOLE = GridRegion.wholeImage(224, 224);
    private static final SynthAnnotation RED_CIRCLE = object(1, Shape.CIRCLE, Colour.RED, ObjectSize.SMALL, new BoundingBox(0, 0, 56, 56));
    private static final SynthAnnotation BLUE_SQUARE = object(2, Shape.SQUARE, Colour.BLUE, ObjectSize.LARGE,
            new BoundingBox(112, 112, 100, 100));

    private static SynthAnnotation object(long id, Shape shape, Colour colour, ObjectSize size, BoundingBox box) {
        return new SynthAnnotation(id, 7, shape, box, box.width() * box.height(), colour, size);
    }

    private static BitSet cells(int... indices) {
        BitSet set = new BitSet();
        IntStream.of(indices).forEach(set::set);
        return set;
    }

    @Test
    void theWordsOfEachObjectPhraseLookAtTheCellsInsideItsBoxAndTheOthersAnywhere() {
        List<String> words = List.of("a", "small", "red", "circle", "and", "a", "blue", "square", "on", "the", "right");
        BitSet[] lookAt = AttentionTargets.of(words, List.of(RED_CIRCLE, BLUE_SQUARE), WHOLE, 8, 8);
        assertEquals(words.size(), lookAt.length);
        BitSet circle = cells(0, 1, 8, 9); // centres (14|42, 14|42) lie in [0, 56)
        BitSet square = new BitSet();
        for (int r = 4; r < 8; r++) {
            for (int c = 4; c < 8; c++) {
                square.set(r * 8 + c); // centres 126 .. 210 lie in [112, 212)
            }
        }
        BitSet[] expected = {null, circle, circle, circle, null, null, square, square, null, null, null};
        assertArrayEquals(expected, lookAt);
    }

    @Test
    void aPluralLooksAtEveryObjectItNamesAndAnAbsentOneNowhere() {
        SynthAnnotation otherCircle = object(3, Shape.CIRCLE, Colour.BLUE, ObjectSize.SMALL, new BoundingBox(168, 0, 56, 56));
        BitSet[] lookAt = AttentionTargets.of(List.of("two", "circles", "and", "a", "green", "star"),
                List.of(RED_CIRCLE, otherCircle, BLUE_SQUARE), WHOLE, 8, 8);
        assertEquals(cells(0, 1, 8, 9, 6, 7, 14, 15), lookAt[1]);
        assertNull(lookAt[0], "a count is not an object word");
        assertNull(lookAt[4], "no green star in the scene: nothing to point at");
        assertNull(lookAt[5]);
    }

    @Test
    void aBoxBetweenCellCentresLooksAtTheCellThatHoldsItsCentre() {
        SynthAnnotation tiny = object(4, Shape.STAR, Colour.GREEN, ObjectSize.SMALL, new BoundingBox(44, 16, 10, 10)); // centre (49, 21)
        BitSet[] lookAt = AttentionTargets.of(List.of("a", "star"), List.of(tiny), WHOLE, 8, 8);
        assertEquals(cells(1), lookAt[1]);
        GridRegion crop = new GridRegion(32, 0, 192, 192); // a grid over a crop: cells 24 px, its first column from x = 32
        assertEquals(cells(0), AttentionTargets.of(List.of("star"), List.of(tiny), crop, 8, 8)[0]);
    }
}
