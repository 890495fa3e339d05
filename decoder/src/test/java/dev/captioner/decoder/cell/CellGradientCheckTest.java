package dev.captioner.decoder.cell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backpropagation through two steps of each cell, against central differences in float64 (B=2, X=3,
 * H=2): f = sum_t sum(R_t * h_t) (+ sum(R_c * c_2) for the LSTM), with respect to the four parameters,
 * the inputs x_1, x_2 and the initial state.
 */
class CellGradientCheckTest {

    private static final int B = 2;
    private static final int X = 3;
    private static final int H = 2;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientsMatchCentralDifferences(CellType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            RecurrentCell cell = type.create(X, H);
            cell.initialize(manager, DataType.FLOAT64, new Shape(B, X));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x1 = manager.randomNormal(0, 1, new Shape(B, X), DataType.FLOAT64);
            NDArray x2 = manager.randomNormal(0, 1, new Shape(B, X), DataType.FLOAT64);
            NDList start = new NDList();
            for (int s = 0; s < cell.stateCount(); s++) {
                start.add(manager.randomNormal(0, 0.5f, new Shape(B, H), DataType.FLOAT64));
            }
            NDList weights = new NDList();
            for (int j = 0; j < 2 + cell.stateCount(); j++) {
                weights.add(manager.randomNormal(0, 1, new Shape(B, H), DataType.FLOAT64));
            }

            Map<String, NDArray> wrt = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : cell.getParameters()) {
                wrt.put(p.getKey(), p.getValue().getArray());
            }
            wrt.put("x1", x1);
            wrt.put("x2", x2);
            for (int s = 0; s < start.size(); s++) {
                wrt.put("state0[" + s + "]", start.get(s));
            }
            wrt.values().forEach(v -> v.setRequiresGradient(true));

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(f(ps, cell, x1, x2, start, weights));
            }
            StringBuilder report = new StringBuilder();
            double worst = 0;
            for (Map.Entry<String, NDArray> e : wrt.entrySet()) {
                double[] autograd = e.getValue().getGradient().toDoubleArray();
                double[] numerical = GradientCheck.numerical(
                        e.getValue(),
                        () -> {
                            try (NDManager scope = manager.newSubManager()) {
                                scope.tempAttachAll(x1, x2, start, weights); // op results land in scope
                                return f(ps, cell, x1, x2, start, weights).getDouble();
                            }
                        },
                        1e-6);
                double err = GradientCheck.relativeError(autograd, numerical);
                worst = Math.max(worst, err);
                report.append(String.format(" %s %.2g", e.getKey(), err));
                assertTrue(err < 1e-5, e.getKey() + ": relative error " + err);
            }
            System.out.println(type + " cell gradient check:" + report + "; worst " + worst);
        }
    }

    private static NDArray f(ParameterStore ps, RecurrentCell cell, NDArray x1, NDArray x2, NDList start, NDList r) {
        NDList s1 = cell.step(ps, x1, start, true);
        NDList s2 = cell.step(ps, x2, s1, true);
        NDArray sum = s1.get(0).mul(r.get(0)).sum().add(s2.get(0).mul(r.get(1)).sum());
        if (s2.size() > 1) {
            sum = sum.add(s2.get(1).mul(r.get(2)).sum());
        }
        return sum;
    }
}
