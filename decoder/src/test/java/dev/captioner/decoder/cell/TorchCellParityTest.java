package dev.captioner.decoder.cell;

import static dev.captioner.decoder.TestSupport.assertClose;
import static dev.captioner.decoder.TestSupport.formula;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.captioner.decoder.TestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cells against torch.nn.LSTMCell and torch.nn.GRUCell themselves (torch 1.13): the fixture
 * {@code torch-cells/expected.txt} made by {@code src/test/python/torch_cells.py} from closed-form
 * weights, inputs and initial state that this test rebuilds by the same formulas.
 */
class TorchCellParityTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void lstmCellMatchesTorch() {
        double max = run(CellType.LSTM);
        System.out.printf("LstmCell vs torch.nn.LSTMCell: max |diff| %.3g over 4 steps of h and c%n", max);
    }

    @Test
    void gruCellMatchesTorch() {
        double max = run(CellType.GRU);
        System.out.printf("GruCell vs torch.nn.GRUCell: max |diff| %.3g over 4 steps of h%n", max);
    }

    private static double run(CellType type) {
        Map<String, float[]> fixture = TestSupport.torchFixture();
        float[] sizes = fixture.get("sizes");
        int x = (int) sizes[0];
        int h = (int) sizes[1];
        int b = (int) sizes[2];
        int t = (int) sizes[3];
        String tag = type.name().toLowerCase(java.util.Locale.ROOT);
        try (NDManager manager = NDManager.newBaseManager()) {
            FusedGateCell cell = (FusedGateCell) type.create(x, h);
            cell.initialize(manager, DataType.FLOAT32, new Shape(b, x));
            Parameter[] params = {cell.weightIh(), cell.weightHh(), cell.biasIh(), cell.biasHh()};
            for (int k = 0; k < params.length; k++) {
                TestSupport.setFormulaWeights(params[k], k); // state_dict order
            }
            NDArray xs = manager.create(formula((long) t * b * x, 0.8, 0.05, 0.5, Math::cos), new Shape(t, b, x));
            NDList state = new NDList(manager.create(formula((long) b * h, 0.5, 0.3, 1.0, Math::sin), new Shape(b, h)));
            if (type == CellType.LSTM) {
                state.add(manager.create(formula((long) b * h, 0.5, 0.2, 0.0, Math::cos), new Shape(b, h)));
            }
            ParameterStore ps = new ParameterStore(manager, false);
            double max = 0;
            for (int step = 1; step <= t; step++) {
                NDList next;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xt = xs.get(new NDIndex("{}", step - 1)); // (B, X)
                    xt.attach(scope); // the step's arrays land in scope
                    next = cell.step(ps, xt, state, false);
                    next.attach(manager);
                }
                state.close();
                state = next;
                float[] expectedH = fixture.get(tag + " h " + step);
                max = Math.max(max, assertClose(tag + " h " + step, expectedH, state.get(0).toFloatArray(), TOLERANCE));
                assertArrayEquals(new long[] {b, h}, state.get(0).getShape().getShape());
                if (type == CellType.LSTM) {
                    float[] expectedC = fixture.get(tag + " c " + step);
                    max = Math.max(max, assertClose(tag + " c " + step, expectedC, state.get(1).toFloatArray(), TOLERANCE));
                }
            }
            return max;
        }
    }
}
