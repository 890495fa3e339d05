package dev.captioner.decoder.cell;

import static dev.captioner.decoder.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hand-written cells against DJL's fused {@link LSTM} and {@link GRU} blocks (PyTorch engine) on
 * copied weights: T steps of the cell against one call over the sequence, from the same state.
 *
 * <p>What DJL 0.35 holds, as checked here: one layer has four parameters, in this order, {@code
 * l_0_i2h_WEIGHT (G·H, X)}, {@code l_0_h2h_WEIGHT (G·H, H)}, {@code l_0_i2h_BIAS (G·H)}, {@code
 * l_0_h2h_BIAS (G·H)}: PyTorch's {@code weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0}, and the
 * gate blocks are in PyTorch's order (LSTM i, f, g, o; GRU r, z, n with r applied to W_hn h + b_hn),
 * since copying them one to one into the cells reproduces the fused outputs.
 */
class DjlFusedParityTest {

    private static final int B = 3;
    private static final int T = 5;
    private static final int X = 6;
    private static final int H = 4;
    private static final double TOLERANCE = 1e-5;

    @Test
    void lstmCellMatchesFusedLstm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            LSTM fused = LSTM.builder().setStateSize(H).setNumLayers(1).optReturnState(true).build();
            LstmCell cell = LstmCell.builder().setInputSize(X).setHiddenSize(H).build();
            double[] d = compare(manager, fused, cell, 2);
            System.out.printf("LstmCell vs DJL LSTM: max |diff| outputs %.3g, h_T %.3g, c_T %.3g%n",
                    d[0], d[1], d[2]);
        }
    }

    @Test
    void gruCellMatchesFusedGru() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(12);
            GRU fused = GRU.builder().setStateSize(H).setNumLayers(1).optReturnState(true).build();
            GruCell cell = GruCell.builder().setInputSize(X).setHiddenSize(H).build();
            double[] d = compare(manager, fused, cell, 1);
            System.out.printf("GruCell vs DJL GRU: max |diff| outputs %.3g, h_T %.3g%n",
                    d[0], d[1]);
        }
    }

    /** Runs both and returns the largest differences: outputs over all steps, then each final state. */
    private static double[] compare(NDManager manager, RecurrentBlock fused, FusedGateCell cell, int states) {
        int gates = cell.type().gates();
        fused.initialize(manager, DataType.FLOAT32, new Shape(B, T, X)); // batch first (DJL's default)
        cell.initialize(manager, DataType.FLOAT32, new Shape(B, X));
        ParameterList params = fused.getParameters();
        List<String> names = params.keys();
        assertEquals(List.of("l_0_i2h_WEIGHT", "l_0_h2h_WEIGHT", "l_0_i2h_BIAS", "l_0_h2h_BIAS"), names);
        assertEquals(
                List.of(new Shape(gates * H, X), new Shape(gates * H, H), new Shape(gates * H), new Shape(gates * H)),
                params.values().stream().map(p -> p.getArray().getShape()).collect(Collectors.toList()));
        Parameter[] mine = {cell.weightIh(), cell.weightHh(), cell.biasIh(), cell.biasHh()};
        for (int k = 0; k < mine.length; k++) {
            mine[k].getArray().set(params.get(names.get(k)).getArray().toFloatArray());
        }

        NDArray x = manager.randomNormal(new Shape(B, T, X)); // (B, T, X)
        NDList start = new NDList();
        for (int s = 0; s < states; s++) {
            start.add(manager.randomNormal(0, 0.5f, new Shape(B, H), DataType.FLOAT32)); // (B, H)
        }
        ParameterStore ps = new ParameterStore(manager, false);

        NDList fusedInputs = new NDList(x);
        for (NDArray s : start) {
            fusedInputs.add(s.expandDims(0)); // (layers = 1, B, H)
        }
        NDList fusedOut = fused.forward(ps, fusedInputs, false); // (B, T, H), then (1, B, H) each
        assertEquals(1 + states, fusedOut.size());
        assertEquals(new Shape(B, T, H), fusedOut.get(0).getShape());

        NDList state = start;
        NDList steps = new NDList();
        for (int t = 0; t < T; t++) {
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray xt = x.get(new NDIndex(":, {}", t)); // (B, X)
                xt.attach(stepManager);
                NDList next = cell.step(ps, xt, state, false);
                next.attach(manager);
                steps.add(next.get(0));
                state = next;
            }
        }
        NDArray cellOut = NDArrays.stack(steps, 1); // (B, T, H)
        double[] diffs = new double[1 + states];
        diffs[0] = assertClose("outputs", fusedOut.get(0), cellOut, TOLERANCE);
        for (int s = 0; s < states; s++) {
            NDArray fusedState = fusedOut.get(1 + s).squeeze(0); // (B, H)
            diffs[1 + s] = assertClose("state " + s, fusedState, state.get(s), TOLERANCE);
        }
        return diffs;
    }
}
