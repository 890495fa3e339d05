package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
    /** Three updates against the formula worked by hand, with the warm-up of d_t; swapping twice restores the raw weights bit for bit. */
    @Test
    void followsTheMovingAverageAndSwapsExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("p").setType(Parameter.Type.WEIGHT)
                    .optInitializer(new ConstantInitializer(0f)).optShape(new Shape(3)).build();
            p.initialize(manager, DataType.FLOAT32);
            p.getArray().set(new float[] {1f, -2f, 0.1f});
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            parameters.put("p", p);
            try (WeightAverage average = new WeightAverage(0.5f, parameters, manager)) {
                assertEquals(1f / 10f, average.decayAt(0), 1e-7);
                assertEquals(0.5f, average.decayAt(100), 0f, "d_t is capped at d");
                double[] expected = {1, -2, 0.1};
                float[][] raw = {{3f, 0f, -1f}, {0.25f, 7f, 2f}, {-4f, 1f, 1e-3f}};
                for (int t = 1; t <= 3; t++) {
                    p.getArray().set(raw[t - 1]);
                    average.update(t);
                    double d = Math.min(0.5, (1.0 + t) / (10.0 + t));
                    for (int i = 0; i < 3; i++) {
                        expected[i] = d * expected[i] + (1 - d) * raw[t - 1][i];
                    }
                }
                average.swap();
                float[] swapped = p.getArray().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(expected[i], swapped[i], 1e-6, "the decoder holds the average after a swap");
                }
                average.swap();
                assertArrayEquals(raw[2], p.getArray().toFloatArray(), "and the raw weights, exactly, after the second");
                average.swap();
                assertArrayEquals(swapped, p.getArray().toFloatArray(), "the average survived the round trip exactly");
            }
        }
    }

    @Test
    void refusesADecayOutsideTheOpenUnitInterval() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WeightAverage(1f, Map.of(), manager));
            assertEquals("the weight-average decay must be in (0, 1), got 1.0", e.getMessage());
        }
    }
}
