package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {
    /** f(p) = sum(p^2), so g = 2p: three steps computed by hand with torch's formula. */
    @Test
    void followsTorchsUpdateAndRestoresExactly() {
        try (NDManager manager = NDManager.newBaseManager(); NDManager moments = manager.newSubManager()) {
            Parameter p = Parameter.builder().setName("p").setType(Parameter.Type.WEIGHT)
                    .optInitializer(new ConstantInitializer(1f)).optShape(new Shape(2)).build();
            p.initialize(manager, DataType.FLOAT32);
            p.getArray().set(new float[] {1f, -2f});
            Adam adam = Adam.standard();
            double[] expected = {1, -2};
            double[] m = new double[2];
            double[] v = new double[2];
            for (int t = 1; t <= 3; t++) {
                step(adam, p, moments, 0.1f);
                for (int i = 0; i < 2; i++) {
                    double g = 2 * expected[i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    expected[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
                }
                float[] actual = p.getArray().toFloatArray();
                assertEquals(expected[0], actual[0], 1e-5);
                assertEquals(expected[1], actual[1], 1e-5);
            }

            // Saving the state and restoring it into a fresh optimizer gives the same next step.
            NDList saved = adam.state(manager);
            float[] before = p.getArray().toFloatArray();
            step(adam, p, moments, 0.1f);
            float[] continued = p.getArray().toFloatArray();
            p.getArray().set(before);
            Adam restored = Adam.standard();
            restored.restore(NDList.decode(manager, saved.encode()), moments);
            assertEquals(3, restored.steps());
            step(restored, p, moments, 0.1f);
            assertArrayEquals(continued, p.getArray().toFloatArray());
        }
    }

    private static void step(Adam adam, Parameter p, NDManager moments, float lr) {
        try (NDManager scope = moments.getParentManager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = p.getArray().square().sum();
                collector.backward(loss);
            }
            adam.step(Map.of("p", p), lr, scope, moments);
        }
    }
}
