package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlobalNormClippingTest {
    /** ∂/∂w of Σ w⊙A is A; ∂/∂b of Σ b⊙C is C. Σ A² + Σ C² = 9 + 16 + 144 = 169: the global norm is 13. */
    private static final float[] A = {3, 4, 0, 0};
    private static final float[] C = {0, 0, 12};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void scalesAllGradientsTogetherWhenAboveTheMaximum() {
        List<Parameter> parameters = parametersWithGradients(A, C);
        GlobalNormClipping clipping = GlobalNormClipping.builder().setMaxNorm(6.5).build();
        double norm;
        try (NDManager step = manager.newSubManager()) {
            norm = clipping.clip(parameters, step);
        }
        assertEquals(13.0, norm, 1e-6);
        double scale = 6.5 / (13.0 + 1e-6); // just under 1/2
        assertArrayEquals(scaled(A, scale), gradient(parameters.get(0)), 1e-6f);
        assertArrayEquals(scaled(C, scale), gradient(parameters.get(1)), 1e-6f);
        // the clipped norm is maxNorm (up to the 1e-6 guard)
        try (NDManager step = manager.newSubManager()) {
            assertEquals(6.5, clipping.clip(parameters, step), 1e-5);
        }
    }

    @Test
    void leavesGradientsAloneWhenWithinTheMaximum() {
        List<Parameter> parameters = parametersWithGradients(A, C);
        double norm;
        try (NDManager step = manager.newSubManager()) {
            norm = GlobalNormClipping.builder().setMaxNorm(13.5).build().clip(parameters, step);
        }
        assertEquals(13.0, norm, 1e-6);
        assertArrayEquals(A, gradient(parameters.get(0)), 0f);
        assertArrayEquals(C, gradient(parameters.get(1)), 0f);
    }

    @Test
    void clipsABlocksParameterList() {
        // Σ Linear(x) over x = ones(3, 4): ∂/∂W[j, i] = Σ_n x[n, i] = 3 for all 2×4 weights, ∂/∂b[j] = N = 3.
        // Global norm: sqrt(8·9 + 2·9) = sqrt(90) = 3·sqrt(10).
        Linear linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(3, 4));
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.ones(new Shape(3, 4)); // (N, in)
                NDArray y = linear.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow(); // (N, 2)
                collector.backward(y.sum());
            }
            double norm = GlobalNormClipping.builder().setMaxNorm(1.0).build().clip(linear.getParameters(), step);
            assertEquals(3 * Math.sqrt(10), norm, 1e-5);
            float expected = (float) (3 * 1.0 / (3 * Math.sqrt(10) + 1e-6));
            for (Parameter parameter : linear.getParameters().values()) {
                for (float g : parameter.getArray().getGradient().toFloatArray()) { // handle lands in manager; closed with it
                    assertEquals(expected, g, 1e-6f, parameter.getName());
                }
            }
        }
    }

    @Test
    void skipsFrozenParameters() {
        List<Parameter> parameters = parametersWithGradients(A, C);
        parameters.get(1).freeze(true);
        try (NDManager step = manager.newSubManager()) {
            assertEquals(5.0, GlobalNormClipping.builder().setMaxNorm(100).build().clip(parameters, step), 1e-6);
        }
    }

    @Test
    void leavesNonFiniteGradientsForTheCallerToSkip() {
        List<Parameter> parameters = parametersWithGradients(new float[] {3, Float.POSITIVE_INFINITY, 0, 0}, C);
        try (NDManager step = manager.newSubManager()) {
            double norm = GlobalNormClipping.builder().setMaxNorm(1).build().clip(parameters, step);
            assertEquals(Double.POSITIVE_INFINITY, norm);
        }
        assertArrayEquals(C, gradient(parameters.get(1)), 0f);
    }

    /**
     * 500 clips, each in its own step manager, leave the base manager with as many live arrays as before.
     * Live arrays are counted with {@link NDManager#getManagedArrays()}, which in DJL 0.35 walks the
     * manager's resources and its open sub-managers. The control shows that the count does see a
     * gradient handle that nobody attached to a scope.
     */
    @Test
    void fiveHundredClipsLeakNothing() {
        List<Parameter> parameters = parametersWithGradients(A, C);
        GlobalNormClipping clipping = GlobalNormClipping.builder().setMaxNorm(1.0).build();
        int before = manager.getManagedArrays().size();

        for (int i = 0; i < 500; i++) {
            try (NDManager step = manager.newSubManager()) {
                clipping.clip(parameters, step);
            }
        }
        assertEquals(before, manager.getManagedArrays().size(), "live arrays after 500 clips");

        // control: a bare getGradient() is one more live array, which the count sees
        NDArray stray = parameters.get(0).getArray().getGradient();
        assertEquals(before + 1, manager.getManagedArrays().size());
        stray.close();
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void builderChecksItsSettings() {
        assertThrows(IllegalStateException.class, () -> GlobalNormClipping.builder().build());
        assertThrows(IllegalArgumentException.class, () -> GlobalNormClipping.builder().setMaxNorm(0).build());
        assertThrows(IllegalArgumentException.class, () -> GlobalNormClipping.builder().setMaxNorm(1).optEpsilon(-1).build());
        GlobalNormClipping clipping = GlobalNormClipping.builder().setMaxNorm(5).build();
        assertEquals(5.0, clipping.maxNorm());
        assertEquals(1e-6, clipping.epsilon());
    }

    /** Parameters w (2, 2) and b (3) whose gradients are a and c, made by a GradientCollector. */
    private List<Parameter> parametersWithGradients(float[] a, float[] c) {
        NDArray w = manager.create(new float[] {0.5f, -1f, 2f, 0.25f}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {1f, 2f, 3f});
        Parameter weight = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(w).build();
        Parameter bias = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optArray(b).build();
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (NDManager scratch = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ga = scratch.create(a, new Shape(2, 2));
            NDArray gc = scratch.create(c);
            NDArray loss = ga.mul(w).sum().add(gc.mul(b).sum()); // ops land in scratch: receivers are there
            collector.backward(loss);
        }
        return List.of(weight, bias);
    }

    private float[] gradient(Parameter parameter) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray gradient = parameter.getArray().getGradient();
            gradient.attach(scratch);
            return gradient.toFloatArray();
        }
    }

    private static float[] scaled(float[] values, double scale) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] * scale);
        }
        return out;
    }
}
