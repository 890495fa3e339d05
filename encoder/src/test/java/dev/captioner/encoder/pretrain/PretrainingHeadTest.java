package dev.captioner.encoder.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        SceneTargets.fillDense(List.of(red, blue), 128, 4, dense, 0);
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
