package dev.captioner.decoder.cell;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * PyTorch's {@code LSTMCell} (Hochreiter and Schmidhuber 1997, with a forget gate) as a DJL block,
 * one fused matrix product per input per step:
 *
 * <pre>
 *   [i; f; g; o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh        (B, 4H), gates in this order
 *   i, f, o = sigmoid(.),  g = tanh(.)
 *   c_t = f * c_{t-1} + i * g
 *   h_t = o * tanh(c_t)
 * </pre>
 *
 * <p>State {@code (h, c)}, each {@code (B, H)}. Parameters {@code weight_ih (4H, X), weight_hh (4H, H),
 * bias_ih (4H), bias_hh (4H)}, as in a PyTorch state dict, uniform in [-1/sqrt(H), 1/sqrt(H)].
 * DJL's fused {@link ai.djl.nn.recurrent.LSTM} computes the same (same parameter layout and gate
 * order), but called one step at a time (T=1) it trains about twice as slowly (LstmCellBenchmark in the
 * tests: 19.6 against 10.2 ms per step forward and backward at B=32, X=1024, H=512, one thread).
 */
public final class LstmCell extends FusedGateCell {

    LstmCell(Builder builder) {
        super(CellType.LSTM, builder.inputSize, builder.hiddenSize);
    }

    /** A builder; X and H are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    NDList combine(NDArray gx, NDArray gh, NDList state) {
        NDArray c = state.get(1); // (B, H)
        NDArray gates = gx.add(gh); // (B, 4H)
        gx.close();
        gh.close();
        NDList ifgo = gates.split(4, 1); // i, f, g, o: each (B, H)
        NDArray i = Activation.sigmoid(ifgo.get(0));
        NDArray f = Activation.sigmoid(ifgo.get(1));
        NDArray g = Activation.tanh(ifgo.get(2));
        NDArray o = Activation.sigmoid(ifgo.get(3));
        ifgo.close();
        gates.close();
        NDArray fc = f.mul(c);
        NDArray ig = i.mul(g);
        NDArray cNext = fc.add(ig); // (B, H)
        NDArray tc = Activation.tanh(cNext);
        NDArray hNext = o.mul(tc); // (B, H)
        for (NDArray t : new NDArray[] {i, f, g, o, fc, ig, tc}) {
            t.close();
        }
        return new NDList(hNext, cNext);
    }

    /** Builds an {@link LstmCell}. */
    public static final class Builder extends CellBuilder<Builder> {

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** The cell; throws {@link IllegalStateException} when X or H is missing. */
        public LstmCell build() {
            requireSizes("LstmCell");
            return new LstmCell(this);
        }
    }
}
