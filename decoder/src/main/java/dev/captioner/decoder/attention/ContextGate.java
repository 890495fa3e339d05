package dev.captioner.decoder.attention;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.captioner.decoder.ShapeCheck;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The gating scalar of "Show, Attend and Tell" (Xu et al. 2015, section 4.2.1), which lets the decoder
 * weigh how much of the attended context to use at each step:
 *
 * <pre>
 *   beta_t = sigmoid(f_beta(h_{t-1})) = sigmoid(W_beta h_{t-1} + b_beta)
 *   gated  = beta_t * z_t                                  (B, D)
 * </pre>
 *
 * <p>Two forms, chosen with {@link Builder#optScalar(boolean)}:
 *
 * <ul>
 *   <li>vector (default): W_beta is (D, H), beta_t is (B, D), one gate per feature channel, as in the
 *       common PyTorch ports and the benchmark ({@code f_beta} in WORKLOADS.md section 3);
 *   <li>scalar: W_beta is (1, H), beta_t is (B, 1), one gate per sample, as in the paper, broadcast over
 *       the D channels.
 * </ul>
 *
 * <p>Parameters {@code weight} and {@code bias}, initialised as {@code nn.Linear}: uniform in
 * [-1/sqrt(H), 1/sqrt(H)]. As a block: {@code (h (B, H), z (B, D))} to {@code (gated (B, D), beta)}.
 */
public final class ContextGate extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final String OWNER = "ContextGate";
    private static final String[] HIDDEN = {"B", "H"};
    private static final String[] CONTEXT = {"B", "D"};

    private final int hiddenSize;
    private final int featureSize;
    private final boolean scalar;
    private final Parameter weight;
    private final Parameter bias;

    ContextGate(Builder builder) {
        super(VERSION);
        hiddenSize = builder.hiddenSize;
        featureSize = builder.featureSize;
        scalar = builder.scalar;
        weight = addParameter(SoftAttention.weight("weight", new Shape(gateSize(), hiddenSize), hiddenSize));
        bias = addParameter(SoftAttention.bias("bias", new Shape(gateSize()), hiddenSize));
    }

    /** A builder: H and D are required; the gate is a vector unless {@code optScalar(true)}. */
    public static Builder builder() {
        return new Builder();
    }

    /** H, the size of the decoder state. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** D, the size of the context. */
    public int featureSize() {
        return featureSize;
    }

    /** Whether beta is one scalar per sample (the paper) rather than one value per channel. */
    public boolean isScalar() {
        return scalar;
    }

    /** The width of beta: 1 (scalar) or D (vector). */
    public int gateSize() {
        return scalar ? 1 : featureSize;
    }

    /**
     * beta_t = sigmoid(W_beta h + b_beta).
     *
     * @param ps the parameter store
     * @param h the decoder state h_{t-1}, (B, H)
     * @return beta, (B, D) or (B, 1) when scalar, in {@code h}'s manager
     */
    public NDArray beta(ParameterStore ps, NDArray h) {
        if (!weight.isInitialized()) {
            throw new IllegalStateException(
                    "ContextGate is not initialized: call initialize(manager, dataType, new Shape(B, "
                            + hiddenSize + "), new Shape(B, " + featureSize + "))");
        }
        ShapeCheck.require(OWNER, "h", h, HIDDEN, ShapeCheck.ANY, hiddenSize);
        ShapeCheck.requireType(OWNER, "h", h, weight.getArray().getDataType());
        NDArray logits = SoftAttention.linear(ps, h, weight, bias); // (B, D) or (B, 1)
        NDArray beta = Activation.sigmoid(logits);
        logits.close();
        return beta;
    }

    /** W_beta, (D or 1, H). */
    public Parameter weight() {
        return weight;
    }

    /** b_beta, (D or 1). */
    public Parameter bias() {
        return bias;
    }

    /**
     * beta_t * z_t from {@code W_beta h + b_beta} already computed (by a decoder that fuses its products of h).
     *
     * @param logits {@code W_beta h_{t-1} + b_beta}, (B, D) or (B, 1)
     * @param context the attended context, (B, D)
     * @return the gated context, (B, D), in {@code logits}' manager
     */
    public NDArray applyLogits(NDArray logits, NDArray context) {
        NDArray beta = Activation.sigmoid(logits); // (B, D) or (B, 1)
        NDArray gated = beta.mul(context); // (B, D)
        beta.close();
        return gated;
    }

    /**
     * beta_t * z_t.
     *
     * @param ps the parameter store
     * @param h the decoder state h_{t-1}, (B, H)
     * @param context the attended context z_t, (B, D)
     * @return the gated context, (B, D), in {@code h}'s manager
     */
    public NDArray apply(ParameterStore ps, NDArray h, NDArray context) {
        ShapeCheck.require(OWNER, "context", context, CONTEXT, h.getShape().get(0), featureSize);
        NDArray beta = beta(ps, h); // (B, D) or (B, 1)
        NDArray gated = beta.mul(context); // (B, D)
        beta.close();
        return gated;
    }

    /** {@inheritDoc} {@code (h, z)} to {@code (beta * z, beta)}. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "ContextGate: inputs must be (h, context), found " + inputs.size() + " arrays");
        }
        NDArray h = inputs.get(0); // (B, H)
        NDArray context = inputs.get(1); // (B, D)
        ShapeCheck.require(OWNER, "context", context, CONTEXT, h.getShape().get(0), featureSize);
        NDArray beta = beta(ps, h); // (B, D) or (B, 1)
        return new NDList(beta.mul(context), beta);
    }

    /** {@inheritDoc} {@code (B, H), (B, D)} to {@code (B, D), (B, D or 1)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkShapes(inputShapes);
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, featureSize), new Shape(batch, gateSize())};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        checkShapes(inputShapes);
    }

    private void checkShapes(Shape[] inputShapes) {
        ShapeCheck.require(OWNER, "h", inputShapes[0], HIDDEN, ShapeCheck.ANY, hiddenSize);
        if (inputShapes.length > 1) {
            ShapeCheck.require(OWNER, "context", inputShapes[1], CONTEXT, inputShapes[0].get(0), featureSize);
        }
    }

    /** {@inheritDoc} Also checks that the loaded parameters have this gate's shapes. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadParameters(manager, is);
        Shape w = weight.getArray().getShape();
        Shape b = bias.getArray().getShape();
        if (!w.equals(new Shape(gateSize(), hiddenSize)) || !b.equals(new Shape(gateSize()))) {
            throw new MalformedModelException(
                    "ContextGate: loaded weight " + w + " and bias " + b + " do not fit " + this);
        }
    }

    @Override
    public String toString() {
        return "ContextGate(H=" + hiddenSize + ", D=" + featureSize + (scalar ? ", scalar)" : ", vector)");
    }

    /** Builds a {@link ContextGate}. */
    public static final class Builder {

        int hiddenSize = -1;
        int featureSize = -1;
        boolean scalar;

        Builder() {}

        /** Sets H, the size of the decoder state (required). */
        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = SoftAttention.positive("hiddenSize", hiddenSize);
            return this;
        }

        /** Sets D, the size of the context (required). */
        public Builder setFeatureSize(int featureSize) {
            this.featureSize = SoftAttention.positive("featureSize", featureSize);
            return this;
        }

        /** One gate per sample, as in the paper ({@code true}), or per channel (default, {@code false}). */
        public Builder optScalar(boolean scalar) {
            this.scalar = scalar;
            return this;
        }

        /** The block; throws {@link IllegalStateException} when a size is missing. */
        public ContextGate build() {
            if (hiddenSize < 0 || featureSize < 0) {
                throw new IllegalStateException("ContextGate needs setHiddenSize and setFeatureSize");
            }
            return new ContextGate(this);
        }
    }
}
