package dev.captioner.decoder.attention;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.captioner.decoder.ShapeCheck;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Soft ("deterministic") attention of "Show, Attend and Tell" (Xu et al. 2015, section 4.2), with the
 * additive score of Bahdanau et al. (2015), over the L locations {@code a_i} of a feature grid:
 *
 * <pre>
 *   P_i      = W_a a_i + b_a                              (B, L, A)  once per batch: projectFeatures (as 2P)
 *   e_ti     = w^T tanh(P_i + W_h h_{t-1} + b_h) + b      (B, L)     W_h h broadcast over the L locations
 *   alpha_ti = exp(e_ti) / sum_k exp(e_tk)                (B, L)     softmax over L
 *   z_t      = sum_i alpha_ti a_i                         (B, D)     the context
 * </pre>
 *
 * <p>How it is computed: with tanh(x) = 2 sigmoid(2x) - 1, {@code w^T tanh(u) + b = 2 (w^T sigmoid(2u) + b) -
 * sum(w) - b}, and the last two terms are the same at every location, so the softmax over L is unchanged when
 * e is taken as {@code 2 (w^T sigmoid(2u) + b)}. That is what this class computes, with u doubled where it is
 * cheap: P once per batch ({@link #projectFeatures} returns 2P) and {@code W_h h + b_h} on (B, A), never on the
 * (B, L, A) sum. Why: libtorch 2.7.1's CPU tanh is about 4.5x slower than its sigmoid, and the (B, L, A)
 * activation was the costliest operation of a decoding step (10.5 of 12.8 ms for the add and tanh of 80 beam
 * rows, L = 196, A = 512). alpha and the gradients of every parameter are those of the equations above.
 * Doubling is x + x: with {@code x.mul(2)} in these three places training went to NaN within a dozen steps
 * (OverfitTest, CaptionTrainerTest), which x + x does not do; a minimal graph with {@code mul(2)} gave the right
 * gradient, so the cause, somewhere in DJL 0.35's scalar operands, is not pinned down.
 *
 * <p>Parameters, with the names and shapes of the benchmark's PyTorch reference ({@code
 * SoftAttention} in {@code decoders_torch.py}): {@code enc_att.weight} W_a (A, D), {@code enc_att.bias}
 * b_a (A), {@code dec_att.weight} W_h (A, H), {@code dec_att.bias} b_h (A), {@code full_att.weight} w
 * (1, A), {@code full_att.bias} b (1). The last bias cancels in the softmax (its gradient is 0); it is
 * kept so that the parameter count and a PyTorch state dict match. Each is initialised as
 * {@code nn.Linear} is, uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)].
 *
 * <p>The gate that scales the context, {@code beta_t = sigmoid(f_beta(h_{t-1}))}, is a separate block:
 * {@link ContextGate}. No mask: every location of the grid is real.
 *
 * <p>As a block: {@code (a (B, L, D), h (B, H))} to {@code (context (B, D), alpha (B, L))}, projecting
 * the features on each call. A decoder calls {@link #projectFeatures} once and {@link #attend} per step.
 */
public final class SoftAttention extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final String OWNER = "SoftAttention";
    private static final String[] GRID = {"B", "L", "D"};
    private static final String[] PROJECTED = {"B", "L", "A"};
    private static final String[] HIDDEN = {"B", "H"};

    private final int featureSize;
    private final int hiddenSize;
    private final int attentionSize;
    private final Parameter encWeight;
    private final Parameter encBias;
    private final Parameter decWeight;
    private final Parameter decBias;
    private final Parameter fullWeight;
    private final Parameter fullBias;

    SoftAttention(Builder builder) {
        super(VERSION);
        featureSize = builder.featureSize;
        hiddenSize = builder.hiddenSize;
        attentionSize = builder.attentionSize;
        encWeight = addParameter(weight("enc_att.weight", new Shape(attentionSize, featureSize), featureSize));
        encBias = addParameter(bias("enc_att.bias", new Shape(attentionSize), featureSize));
        decWeight = addParameter(weight("dec_att.weight", new Shape(attentionSize, hiddenSize), hiddenSize));
        decBias = addParameter(bias("dec_att.bias", new Shape(attentionSize), hiddenSize));
        fullWeight = addParameter(weight("full_att.weight", new Shape(1, attentionSize), attentionSize));
        fullBias = addParameter(bias("full_att.bias", new Shape(1), attentionSize));
    }

    /** A builder: D, H and A are required. */
    public static Builder builder() {
        return new Builder();
    }

    static Parameter weight(String name, Shape shape, long fanIn) {
        return torchLinear(name, Parameter.Type.WEIGHT, shape, fanIn);
    }

    static Parameter bias(String name, Shape shape, long fanIn) {
        return torchLinear(name, Parameter.Type.BIAS, shape, fanIn);
    }

    /** torch.nn.Linear's initialisation: weight and bias uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)]. */
    private static Parameter torchLinear(String name, Parameter.Type type, Shape shape, long fanIn) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(new UniformInitializer((float) (1.0 / Math.sqrt(fanIn))))
                .build();
    }

    /** D, the size of a feature vector a_i. */
    public int featureSize() {
        return featureSize;
    }

    /** H, the size of the decoder state h. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** A, the size of the attention layer. */
    public int attentionSize() {
        return attentionSize;
    }

    /**
     * 2P = 2 (W_a a + b_a), the part of the score that does not change over the steps, doubled for the
     * sigmoid form of the score (see the class comment).
     *
     * @param ps the parameter store
     * @param a the feature grid, (B, L, D)
     * @return 2P, (B, L, A), in {@code a}'s manager
     */
    public NDArray projectFeatures(ParameterStore ps, NDArray a) {
        checkInitialized();
        checkGrid(a);
        NDArray p = linear(ps, a, encWeight, encBias); // (B, L, A)
        NDArray doubled = p.add(p); // (B, L, A)
        p.close();
        return doubled;
    }

    /**
     * One attention step.
     *
     * @param ps the parameter store
     * @param a the feature grid, (B, L, D)
     * @param projected 2P from {@link #projectFeatures}, (B, L, A)
     * @param h the decoder state h_{t-1}, (B, H)
     * @return the context (B, D) and the weights alpha (B, L), in {@code h}'s manager
     */
    public Attended attend(ParameterStore ps, NDArray a, NDArray projected, NDArray h) {
        return attend(ps, a, projected, h, false);
    }

    /**
     * One attention step, the (B, L, A) activations computed a slice of rows at a time where {@code sliced}
     * (for inference: see {@link #SLICE_ELEMENTS}).
     *
     * @see #attend(ParameterStore, NDArray, NDArray, NDArray)
     */
    public Attended attend(ParameterStore ps, NDArray a, NDArray projected, NDArray h, boolean sliced) {
        checkInitialized();
        checkGrid(a);
        Shape grid = a.getShape();
        long batch = grid.get(0);
        ShapeCheck.require(OWNER, "projected", projected, PROJECTED, batch, grid.get(1), attentionSize);
        ShapeCheck.require(OWNER, "h", h, HIDDEN, batch, hiddenSize);
        ShapeCheck.requireType(OWNER, "h", h, encWeight.getArray().getDataType());
        NDArray dec = linear(ps, h, decWeight, decBias); // (B, A)
        Attended out = sliced ? attendProjectedInSlices(ps, a, projected, dec) : attendProjected(ps, a, projected, dec);
        dec.close();
        return out;
    }

    /**
     * One attention step from {@code W_h h_{t-1} + b_h} already computed, for a decoder that fuses it
     * with its other products of h_{t-1} (one matrix product instead of three).
     *
     * @param a the feature grid, (B, L, D)
     * @param projected 2P from {@link #projectFeatures}, (B, L, A)
     * @param dec {@code W_h h_{t-1} + b_h}, (B, A)
     * @return the context (B, D) and the weights alpha (B, L), in {@code dec}'s manager
     */
    public Attended attendProjected(ParameterStore ps, NDArray a, NDArray projected, NDArray dec) {
        return attendTo(a, energies(ps, projected, dec));
    }

    /**
     * As {@link #attendProjected}, computing the (B, L, A) activations {@link #SLICE_ELEMENTS} at a time, so
     * that each temporary array stays small. For inference: training keeps one piece per op.
     */
    public Attended attendProjectedInSlices(ParameterStore ps, NDArray a, NDArray projected, NDArray dec) {
        long rows = dec.getShape().get(0);
        long perRow = projected.getShape().get(1) * projected.getShape().get(2); // L·A
        long sliceRows = Math.max(1, SLICE_ELEMENTS / perRow);
        if (sliceRows >= rows) {
            return attendProjected(ps, a, projected, dec);
        }
        NDList slices = new NDList();
        for (long from = 0; from < rows; from += sliceRows) {
            String range = from + ":" + Math.min(rows, from + sliceRows);
            NDArray p = projected.get(range); // (b, L, A)
            NDArray d = dec.get(range); // (b, A)
            slices.add(energies(ps, p, d)); // (b, L)
            p.close();
            d.close();
        }
        NDArray e = NDArrays.concat(slices); // (B, L)
        slices.close();
        return attendTo(a, e);
    }

    /**
     * At most this many activations (4 MB of float32) at a time in {@link #attendProjectedInSlices}. Why: one
     * (80, 196, 512) array per op, 32 MB, is allocated and page-faulted afresh at every step of a beam search;
     * in slices of 10 rows the add, sigmoid and score of a step took 6.0 instead of 7.6 ms (about what tuning
     * glibc's malloc to keep such arrays gives, 5.6 ms).
     */
    public static final long SLICE_ELEMENTS = 1L << 20;

    /** e = 2 (w^T sigmoid(2P + 2 (W_h h + b_h)) + b), (B, L): the scores of the class comment. */
    private NDArray energies(ParameterStore ps, NDArray projected, NDArray dec) {
        NDArray doubled = dec.add(dec); // (B, A)
        NDArray decRow = doubled.expandDims(1); // (B, 1, A)
        NDArray sum = decRow.add(projected); // (B, L, A): 2u = 2 (P + W_h h + b_h)
        NDArray act = Activation.sigmoid(sum); // (B, L, A): (tanh(u) + 1) / 2
        NDArray score = linear(ps, act, fullWeight, fullBias); // (B, L, 1)
        NDArray half = score.squeeze(2); // (B, L)
        NDArray e = half.add(half); // (B, L): w^T tanh(u) + b plus a constant over L
        for (NDArray t : new NDArray[] {doubled, decRow, sum, act, score, half}) {
            t.close();
        }
        return e;
    }

    /** alpha = softmax_L(e) and the context z = sum_i alpha_i a_i. */
    private static Attended attendTo(NDArray a, NDArray e) {
        NDArray alpha = e.softmax(1); // (B, L)
        NDArray alphaRow = alpha.expandDims(1); // (B, 1, L)
        NDArray weighted = alphaRow.matMul(a); // (B, 1, D)
        NDArray context = weighted.squeeze(1); // (B, D)
        for (NDArray t : new NDArray[] {e, alphaRow, weighted}) {
            t.close();
        }
        return new Attended(context, alpha);
    }

    /** W_h (A, H), the weight applied to h_{t-1}. */
    public Parameter decoderWeight() {
        return decWeight;
    }

    /** b_h (A). */
    public Parameter decoderBias() {
        return decBias;
    }

    /**
     * {@code x W^T + b} over the last axis. Parameters are fetched as for training: attention has no
     * dropout, so it takes no training flag, and a copying ParameterStore then attaches gradients.
     */
    static NDArray linear(ParameterStore ps, NDArray x, Parameter weight, Parameter bias) {
        Device device = x.getDevice();
        return Linear.linear(x, ps.getValue(weight, device, true), ps.getValue(bias, device, true)).head();
    }

    private void checkInitialized() {
        if (!encWeight.isInitialized()) {
            throw new IllegalStateException(
                    "SoftAttention is not initialized: call initialize(manager, dataType, new Shape(B, L, "
                            + featureSize + "), new Shape(B, " + hiddenSize + "))");
        }
    }

    private void checkGrid(NDArray a) {
        ShapeCheck.require(OWNER, "a", a, GRID, ShapeCheck.ANY, ShapeCheck.ANY, featureSize);
        ShapeCheck.requireType(OWNER, "a", a, encWeight.getArray().getDataType());
    }

    /** {@inheritDoc} {@code (a, h)} to {@code (context, alpha)}. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "SoftAttention: inputs must be (a, h), found " + inputs.size() + " arrays");
        }
        NDArray a = inputs.get(0); // (B, L, D)
        NDArray projected = projectFeatures(ps, a); // (B, L, A)
        Attended out = attend(ps, a, projected, inputs.get(1));
        projected.close();
        return new NDList(out.context(), out.alpha());
    }

    /** {@inheritDoc} {@code (B, L, D), (B, H)} to {@code (B, D), (B, L)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkShapes(inputShapes);
        Shape grid = inputShapes[0];
        return new Shape[] {new Shape(grid.get(0), featureSize), new Shape(grid.get(0), grid.get(1))};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        checkShapes(inputShapes);
    }

    private void checkShapes(Shape[] inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException(
                    "SoftAttention: input shapes must be (a, h), found " + inputShapes.length);
        }
        ShapeCheck.require(OWNER, "a", inputShapes[0], GRID, ShapeCheck.ANY, ShapeCheck.ANY, featureSize);
        ShapeCheck.require(OWNER, "h", inputShapes[1], HIDDEN, inputShapes[0].get(0), hiddenSize);
    }

    /** {@inheritDoc} Also checks that the loaded parameters have this block's shapes. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadParameters(manager, is);
        requireLoaded(encWeight, new Shape(attentionSize, featureSize));
        requireLoaded(encBias, new Shape(attentionSize));
        requireLoaded(decWeight, new Shape(attentionSize, hiddenSize));
        requireLoaded(decBias, new Shape(attentionSize));
        requireLoaded(fullWeight, new Shape(1, attentionSize));
        requireLoaded(fullBias, new Shape(1));
    }

    private void requireLoaded(Parameter p, Shape expected) throws MalformedModelException {
        Shape found = p.getArray().getShape();
        if (!found.equals(expected)) {
            throw new MalformedModelException(
                    "SoftAttention: loaded " + p.getName() + " is " + found + " but " + this + " needs " + expected);
        }
    }

    @Override
    public String toString() {
        return "SoftAttention(D=" + featureSize + ", H=" + hiddenSize + ", A=" + attentionSize + ")";
    }

    /** Builds a {@link SoftAttention}. */
    public static final class Builder {

        int featureSize = -1;
        int hiddenSize = -1;
        int attentionSize = -1;

        Builder() {}

        /** Sets D, the size of a feature vector (required). */
        public Builder setFeatureSize(int featureSize) {
            this.featureSize = positive("featureSize", featureSize);
            return this;
        }

        /** Sets H, the size of the decoder state (required). */
        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = positive("hiddenSize", hiddenSize);
            return this;
        }

        /** Sets A, the size of the attention layer (required). */
        public Builder setAttentionSize(int attentionSize) {
            this.attentionSize = positive("attentionSize", attentionSize);
            return this;
        }

        /** The block; throws {@link IllegalStateException} when a size is missing. */
        public SoftAttention build() {
            if (featureSize < 0 || hiddenSize < 0 || attentionSize < 0) {
                throw new IllegalStateException(
                        "SoftAttention needs setFeatureSize, setHiddenSize and setAttentionSize");
            }
            return new SoftAttention(this);
        }
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
