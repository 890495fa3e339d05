package dev.captioner.metrics.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.Shape;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridCeilingTest {
    private static SynthAnnotation object(int x, int y, int side, ObjectSize size) {
        return new SynthAnnotation(1, 1, Shape.CIRCLE, new BoundingBox(x, y, side, side), side * side, Colour.RED, size);
    }

    /** A 224-pixel image under a 4 x 4 grid: centres at 28, 84, 140 and 196 on each axis. */
    @Test
    void anObjectCountsWhenItsBoxHoldsACellCentre() {
        GridRegion whole = GridRegion.wholeImage(224, 224);
        assertTrue(GridCeiling.holdsCentre(new BoundingBox(20, 20, 10, 10), whole, 4, 4), "holds (28, 28)");
        assertTrue(!GridCeiling.holdsCentre(new BoundingBox(30, 30, 50, 50), whole, 4, 4), "ends at 79, before 84");
        assertTrue(!GridCeiling.holdsCentre(new BoundingBox(0, 0, 28, 28), whole, 4, 4), "[0, 28) leaves 28 out");
        assertTrue(GridCeiling.holdsCentre(new BoundingBox(30, 30, 50, 50), whole, 8, 8), "an 8 x 8 grid has a centre at 42");

        GridCeiling ceiling = new GridCeiling();
        ceiling.add(List.of(object(20, 20, 10, ObjectSize.SMALL), object(30, 30, 50, ObjectSize.LARGE),
                object(100, 100, 30, ObjectSize.SMALL)), whole, 4, 4); // [100, 130) lies between the centres 84 and 140
        assertEquals(1.0 / 3, ceiling.ceiling(), 1e-12);
        assertEquals(0.5, ceiling.ceiling(ObjectSize.SMALL), 1e-12);
        assertEquals(0.0, ceiling.ceiling(ObjectSize.LARGE), 1e-12);
    }

    @Test
    void nothingCountedIsNaNAndAnEmptyGridIsRefused() {
        GridCeiling ceiling = new GridCeiling();
        assertTrue(Double.isNaN(ceiling.ceiling()));
        assertTrue(Double.isNaN(ceiling.ceiling(ObjectSize.SMALL)));
        assertThrows(IllegalArgumentException.class, () -> ceiling.add(List.of(), GridRegion.wholeImage(10, 10), 0, 4));
    }
}
