package dev.captioner.encoder.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class PretrainingHeadTest {
    private static SynthAnnotation object(dev.captioner.data.synth.Shape shape, Colour colour, int x, int y) {
        return new SynthAnnotation(1, 0, shape, new BoundingBox(x, y, 20, 20), 300, colour, ObjectSize.SMALL);
    }

    @Test
    void shapesWithoutRunningAndWithRunning() {
        SceneTargets targets = new SceneTargets(4);
        PretrainingHead head = new PretrainingHead(targets);
        Shape[] out = head.getOutputShapes(new Shape[] {new Shape(2, 512, 4, 4)});
        assertEquals(new Shape(2, targets.width()), out[0]);
        assertEquals(new Shape(2, 16, SceneTargets.PAIRS), out[1]);
        try (NDManager manager = NDManager.newBaseManager()) {
            head.initialize(manager, DataType.FLOAT32, new Shape(2, 8, 3, 3));
            NDList y = head.forward(new ParameterStore(manager, false), new NDList(manager.ones(new Shape(2, 8, 3, 3))), false);
            assertEquals(new Shape(2, targets.width()), y.get(0).getShape());
            assertEquals(new Shape(2, 9, SceneTargets.PAIRS), y.get(1).getShape());
        }
    }

    @Test
    void denseTargetsPutEachObjectAtTheLocationOfItsCentre() {
        var red = object(dev.captioner.data.synth.Shape.CIRCLE, Colour.RED, 0, 0); // centre (10, 10): location 0
        var blue = object(dev.captioner.data.synth.Shape.SQUARE, Colour.BLUE, 100, 60); // centre (110, 70): row 2, column 3
        float[] dense = new float[16 * SceneTargets.PAIRS];
        new SceneTargets(4).fillDense(List.of(red, blue), 128, 4, dense, 0);
        assertEquals(1f, dense[SceneTargets.pair(red.shape(), Colour.RED)]);
        assertEquals(1f, dense[(2 * 4 + 3) * SceneTargets.PAIRS + SceneTargets.pair(blue.shape(), Colour.BLUE)]);
        float sum = 0;
        for (float v : dense) {
            sum += v;
        }
        assertEquals(2f, sum);
        assertEquals("red circle", SceneTargets.pairName(SceneTargets.pair(red.shape(), Colour.RED)));

        float[] row = new float[new SceneTargets(4).width()];
        new SceneTargets(4).fill(List.of(red, blue), 128, row, 0);
        int cells = SceneTargets.PAIRS + 4;
        assertEquals(1f, row[SceneTargets.PAIRS + 1], "two objects");
        assertEquals(1f, row[cells + 0], "top left cell");
        assertEquals(1f, row[cells + 3 + 2], "middle row, right cell");
    }

    @Test
    void withSizesEachLocationAlsoNamesItsObjectsSize() {
        var small = object(dev.captioner.data.synth.Shape.CIRCLE, Colour.RED, 0, 0); // location 0
        var large = new SynthAnnotation(2, 0, dev.captioner.data.synth.Shape.SQUARE, new BoundingBox(90, 50, 40, 40), 1200,
                Colour.BLUE, ObjectSize.LARGE); // centre (110, 70): location 11
        SceneTargets targets = new SceneTargets(4, true);
        int labels = SceneTargets.PAIRS + 2;
        assertEquals(labels, targets.denseLabels());
        float[] dense = new float[16 * labels];
        targets.fillDense(List.of(small, large), 128, 4, dense, 0);
        assertEquals(1f, dense[SceneTargets.pair(small.shape(), Colour.RED)]);
        assertEquals(1f, dense[SceneTargets.PAIRS + ObjectSize.SMALL.ordinal()]);
        assertEquals(1f, dense[11 * labels + SceneTargets.pair(large.shape(), Colour.BLUE)]);
        assertEquals(1f, dense[11 * labels + SceneTargets.PAIRS + ObjectSize.LARGE.ordinal()]);
        float sum = 0;
        for (float v : dense) {
            sum += v;
        }
        assertEquals(4f, sum, "a pair and a size for each object, nothing else");

        PretrainingHead head = new PretrainingHead(targets);
        assertEquals(new Shape(2, 16, labels), head.getOutputShapes(new Shape[] {new Shape(2, 512, 4, 4)})[1]);

        PretrainingAccuracy accuracy = new PretrainingAccuracy(targets);
        float[] logits = new float[16 * labels];
        logits[SceneTargets.pair(small.shape(), Colour.RED)] = 5; // named and sized right
        logits[SceneTargets.PAIRS + ObjectSize.SMALL.ordinal()] = 1;
        logits[11 * labels + SceneTargets.pair(large.shape(), Colour.BLUE)] = 5; // named right, sized wrong
        logits[11 * labels + SceneTargets.PAIRS + ObjectSize.SMALL.ordinal()] = 1;
        accuracy.addDense(logits, dense);
        assertEquals(1.0, accuracy.objectsNamed());
        assertEquals(0.5, accuracy.objectsSized());
        assertTrue(Double.isNaN(new PretrainingAccuracy(new SceneTargets(4)).objectsSized()), "no sizes, no size accuracy");
    }

    @Test
    void accuracyCountsObjectsNamedAtTheirLocation() {
        PretrainingAccuracy accuracy = new PretrainingAccuracy(new SceneTargets(4));
        int p = SceneTargets.PAIRS;
        float[] truth = new float[3 * p];
        float[] logits = new float[3 * p];
        truth[5] = 1; // location 0 holds pair 5, named right
        logits[5] = 3;
        truth[p + 7] = 1; // location 1 holds pair 7, named as 8
        logits[p + 8] = 2;
        logits[2 * p + 1] = 9; // location 2 is empty: not counted
        accuracy.addDense(logits, truth);
        assertEquals(0.5, accuracy.objectsNamed());
    }
}
