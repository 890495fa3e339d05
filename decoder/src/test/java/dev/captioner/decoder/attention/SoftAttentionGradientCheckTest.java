package dev.captioner.decoder.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.captioner.decoder.GradientCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients of SoftAttention and ContextGate against central differences, in float64 at tiny
 * sizes (B=2, L=3, D=4, H=3, A=5). The scalar is f = sum(R_z * beta * z) + sum(R_a * alpha) with fixed
 * random R_z (B, D) and R_a (B, L); gradients with respect to every parameter of both blocks and to the
 * inputs a and h.
 */
class SoftAttentionGradientCheckTest {

    private static final int B = 2;
    private static final int L = 3;
    private static final int D = 4;
    private static final int H = 3;
    private static final int A = 5;
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;

    @Test
    void gradientsMatchCentralDifferences() {
        for (boolean scalarGate : new boolean[] {false, true}) {
            check(scalarGate);
        }
    }

    private static void check(boolean scalarGate) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SoftAttention attention =
                    SoftAttention.builder().setFeatureSize(D).setHiddenSize(H).setAttentionSize(A).build();
            ContextGate gate = ContextGate.builder().setHiddenSize(H).setFeatureSize(D).optScalar(scalarGate).build();
            attention.initialize(manager, DataType.FLOAT64, new Shape(B, L, D), new Shape(B, H));
            gate.initialize(manager, DataType.FLOAT64, new Shape(B, H), new Shape(B, D));
            ParameterStore ps = new ParameterStore(manager, false);

            NDArray a = manager.randomUniform(0, 1, new Shape(B, L, D), DataType.FLOAT64); // (B, L, D)
            NDArray h = manager.randomNormal(0, 1, new Shape(B, H), DataType.FLOAT64); // (B, H)
            NDArray rz = manager.randomNormal(0, 1, new Shape(B, D), DataType.FLOAT64);
            NDArray ra = manager.randomNormal(0, 1, new Shape(B, L), DataType.FLOAT64);
            a.setRequiresGradient(true);
            h.setRequiresGradient(true);

            Map<String, NDArray> wrt = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : attention.getParameters()) {
                wrt.put(p.getKey(), p.getValue().getArray());
            }
            for (Pair<String, Parameter> p : gate.getParameters()) {
                wrt.put("f_beta." + p.getKey(), p.getValue().getArray());
            }
            wrt.put("a", a);
            wrt.put("h", h);
            assertEquals(10, wrt.size());

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(f(ps, attention, gate, a, h, rz, ra));
            }
            Map<String, double[]> autograd = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : wrt.entrySet()) {
                autograd.put(e.getKey(), e.getValue().getGradient().toDoubleArray());
            }

            StringBuilder report = new StringBuilder(scalarGate ? "scalar gate:" : "vector gate:");
            double worst = 0;
            for (Map.Entry<String, NDArray> e : wrt.entrySet()) {
                double[] numerical = GradientCheck.numerical(
                        e.getValue(),
                        () -> {
                            try (NDManager scope = manager.newSubManager()) {
                                scope.tempAttachAll(a, h, rz, ra); // every op result lands in scope
                                return f(ps, attention, gate, a, h, rz, ra).getDouble();
                            }
                        },
                        EPS);
                double err = GradientCheck.relativeError(autograd.get(e.getKey()), numerical);
                report.append(String.format(" %s %.2g", e.getKey(), err));
                worst = Math.max(worst, err);
                assertTrue(err < TOLERANCE, e.getKey() + ": relative error " + err);
            }
            System.out.println("SoftAttention + ContextGate gradient check, " + report + "; worst " + worst);
        }
    }

    /** f = sum(R_z * beta(h) * z) + sum(R_a * alpha), a scalar. */
    private static NDArray f(
            ParameterStore ps, SoftAttention attention, ContextGate gate, NDArray a, NDArray h, NDArray rz, NDArray ra) {
        NDArray projected = attention.projectFeatures(ps, a); // (B, L, A)
        Attended out = attention.attend(ps, a, projected, h);
        NDArray gated = gate.apply(ps, h, out.context()); // (B, D)
        return gated.mul(rz).sum().add(out.alpha().mul(ra).sum());
    }
}
