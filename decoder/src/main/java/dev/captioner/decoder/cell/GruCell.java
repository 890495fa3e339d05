package dev.captioner.decoder.cell;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * PyTorch's {@code GRUCell} (Cho et al. 2014) as a DJL block, one fused matrix product per input per
 * step:
 *
 * <pre>
 *   [x_r; x_z; x_n] = W_ih x_t + b_ih                (B, 3H), gates in this order
 *   [h_r; h_z; h_n] = W_hh h_{t-1} + b_hh            (B, 3H)
 *   r = sigmoid(x_r + h_r),  z = sigmoid(x_z + h_z)
 *   n = tanh(x_n + r * h_n)                          the reset gate scales W_hn h + b_hn, bias included
 *   h_t = (1 - z) * n + z * h_{t-1}
 * </pre>
 *
 * <p>State {@code (h)}, {@code (B, H)}. Parameters {@code weight_ih (3H, X), weight_hh (3H, H), bias_ih
 * (3H), bias_hh (3H)}, as in a PyTorch state dict, uniform in [-1/sqrt(H), 1/sqrt(H)].
 */
public final class GruCell extends FusedGateCell {

    GruCell(Builder builder) {
        super(CellType.GRU, builder.inputSize, builder.hiddenSize);
    }

    /** A builder; X and H are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    NDList combine(NDArray gx, NDArray gh, NDList state) {
        NDArray h = state.get(0); // (B, H)
        long[] at = {2L * hiddenSize()};
        NDList xs = gx.split(at, 1); // x_rz (B, 2H), x_n (B, H)
        NDList hs = gh.split(at, 1); // h_rz (B, 2H), h_n (B, H)
        gx.close();
        gh.close();
        NDArray rzSum = xs.get(0).add(hs.get(0));
        NDArray rz = Activation.sigmoid(rzSum); // (B, 2H)
        NDList split = rz.split(2, 1); // r, z: each (B, H)
        NDArray r = split.get(0);
        NDArray z = split.get(1);
        NDArray rhn = r.mul(hs.get(1));
        NDArray nSum = xs.get(1).add(rhn);
        NDArray n = Activation.tanh(nSum); // (B, H)
        NDArray nMinusH = n.sub(h);
        NDArray step = z.mul(nMinusH);
        NDArray hNext = n.sub(step); // (1 - z) n + z h = n - z (n - h), (B, H)
        xs.close();
        hs.close();
        split.close();
        for (NDArray t : new NDArray[] {rzSum, rz, rhn, nSum, n, nMinusH, step}) {
            t.close();
        }
        return new NDList(hNext);
    }

    /** Builds a {@link GruCell}. */
    public static final class Builder extends CellBuilder<Builder> {

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** The cell; throws {@link IllegalStateException} when X or H is missing. */
        public GruCell build() {
            requireSizes("GruCell");
            return new GruCell(this);
        }
    }
}
