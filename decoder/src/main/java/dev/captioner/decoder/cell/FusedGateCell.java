package dev.captioner.decoder.cell;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.captioner.decoder.WeightLeftProduct;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.captioner.decoder.ShapeCheck;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * A recurrent cell whose G gates come from two fused matrix products, as PyTorch's {@code LSTMCell} and
 * {@code GRUCell} compute them:
 *
 * <pre>
 *   gx = W_ih x + b_ih      (B, G·H)     W_ih: (G·H, X)
 *   gh = W_hh h + b_hh      (B, G·H)     W_hh: (G·H, H)
 * </pre>
 *
 * <p>The gates are the G blocks of H columns, in PyTorch's order; subclasses turn them into the new
 * state. Parameters carry PyTorch's names ({@code weight_ih, weight_hh, bias_ih, bias_hh}), shapes and
 * initialisation: all four uniform in [-1/sqrt(H), 1/sqrt(H)] (DJL's default for weights would be
 * Xavier). An initializer set later on the block (or by a training config) replaces this one.
 */
public abstract class FusedGateCell extends AbstractBlock implements RecurrentCell {

    private static final byte VERSION = 1;

    private final String owner;
    private final CellType type;
    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;

    FusedGateCell(CellType type, int inputSize, int hiddenSize) {
        super(VERSION);
        this.owner = getClass().getSimpleName();
        this.type = type;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        long gh = (long) type.gates() * hiddenSize;
        weightIh = addParameter(parameter("weight_ih", Parameter.Type.WEIGHT, new Shape(gh, inputSize)));
        weightHh = addParameter(parameter("weight_hh", Parameter.Type.WEIGHT, new Shape(gh, hiddenSize)));
        biasIh = addParameter(parameter("bias_ih", Parameter.Type.BIAS, new Shape(gh)));
        biasHh = addParameter(parameter("bias_hh", Parameter.Type.BIAS, new Shape(gh)));
    }

    private Parameter parameter(String name, Parameter.Type kind, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(kind)
                .optShape(shape)
                .optInitializer(new UniformInitializer((float) (1.0 / Math.sqrt(hiddenSize))))
                .build();
    }

    /** LSTM or GRU. */
    public CellType type() {
        return type;
    }

    /** {@inheritDoc} */
    @Override
    public int inputSize() {
        return inputSize;
    }

    /** {@inheritDoc} */
    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@inheritDoc} */
    @Override
    public int stateCount() {
        return type.stateCount();
    }

    /** W_ih, (G·H, X). */
    public Parameter weightIh() {
        return weightIh;
    }

    /** W_hh, (G·H, H). */
    public Parameter weightHh() {
        return weightHh;
    }

    /** b_ih, (G·H). */
    public Parameter biasIh() {
        return biasIh;
    }

    /** b_hh, (G·H). */
    public Parameter biasHh() {
        return biasHh;
    }

    /** {@inheritDoc} */
    @Override
    public NDList step(ParameterStore ps, NDArray x, NDList state, boolean training) {
        checkStep(x, state);
        Device device = x.getDevice();
        NDArray h = state.get(0); // (B, H)
        NDArray wIh = ps.getValue(weightIh, device, training);
        NDArray bIh = ps.getValue(biasIh, device, training);
        NDArray wHh = ps.getValue(weightHh, device, training);
        NDArray bHh = ps.getValue(biasHh, device, training);
        // Inference takes the weight-left form, faster for the few rows of a search step.
        NDArray gx = training ? Linear.linear(x, wIh, bIh).head() : WeightLeftProduct.apply(x, wIh, bIh); // (B, G·H)
        NDArray gh = training ? Linear.linear(h, wHh, bHh).head() : WeightLeftProduct.apply(h, wHh, bHh); // (B, G·H), in h's manager: closed in combine
        return combine(gx, gh, state);
    }

    /**
     * The new state from gate products computed elsewhere, for a decoder that fuses {@code W_hh h} with
     * its other products of h, or computes {@code W_ih x} for all steps at once.
     *
     * @param gx {@code W_ih x + b_ih}, (B, G·H); closed here
     * @param gh {@code W_hh h + b_hh}, (B, G·H); closed here
     * @param state the state at {@code t - 1}
     * @return the new state, {@code h} first, in {@code gx}'s manager
     */
    public NDList stepFromGates(NDArray gx, NDArray gh, NDList state) {
        return combine(gx, gh, state);
    }

    /**
     * The new state from the two gate products. Must close {@code gx}, {@code gh} and every
     * intermediate, and make the new state with {@code gx} (or arrays derived from it) as receiver, so
     * that it lands in {@code x}'s manager.
     *
     * @param gx {@code W_ih x + b_ih}, (B, G·H)
     * @param gh {@code W_hh h + b_hh}, (B, G·H)
     * @param state the state at {@code t - 1}
     * @return the new state, {@code h} first
     */
    abstract NDList combine(NDArray gx, NDArray gh, NDList state);

    private void checkStep(NDArray x, NDList state) {
        if (!weightIh.isInitialized()) {
            throw new IllegalStateException(
                    owner + " is not initialized: call initialize(manager, dataType, new Shape(B, " + inputSize + "))");
        }
        ShapeCheck.require(owner, "x", x, new String[] {"B", "X"}, ShapeCheck.ANY, inputSize);
        ShapeCheck.requireType(owner, "x", x, weightIh.getArray().getDataType());
        if (state.size() != stateCount()) {
            throw new IllegalArgumentException(
                    owner + ": the state must hold " + stateCount() + " arrays, found " + state.size());
        }
        long batch = x.getShape().get(0);
        String[] names = {"B", "H"};
        for (int j = 0; j < state.size(); j++) {
            NDArray s = state.get(j);
            ShapeCheck.require(owner, stateName(j), s, names, batch, hiddenSize);
            ShapeCheck.requireType(owner, stateName(j), s, weightIh.getArray().getDataType());
        }
    }

    private String stateName(int j) {
        return j == 0 ? "h" : "c";
    }

    /** {@inheritDoc} Takes {@code (x, state...)} or {@code (x)} alone for a zero state. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, X)
        NDList state;
        if (inputs.size() == 1) {
            state = initialState(x.getManager(), x.getDataType(), x.getShape().get(0));
        } else {
            state = new NDList(inputs.subList(1, inputs.size()));
        }
        return step(ps, x, state, training);
    }

    /** {@inheritDoc} {@code (B, X)} and optionally the state, to the new state: each (B, H). */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        ShapeCheck.require(owner, "x", inputShapes[0], new String[] {"B", "X"}, ShapeCheck.ANY, inputSize);
        return stateShapes(inputShapes[0].get(0));
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        ShapeCheck.require(owner, "x", inputShapes[0], new String[] {"B", "X"}, ShapeCheck.ANY, inputSize);
    }

    /** {@inheritDoc} Also checks that the loaded parameters have this cell's shapes. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadParameters(manager, is);
        long gh = (long) type.gates() * hiddenSize;
        requireLoaded(weightIh, new Shape(gh, inputSize));
        requireLoaded(weightHh, new Shape(gh, hiddenSize));
        requireLoaded(biasIh, new Shape(gh));
        requireLoaded(biasHh, new Shape(gh));
    }

    private void requireLoaded(Parameter p, Shape expected) throws MalformedModelException {
        Shape found = p.getArray().getShape();
        if (!found.equals(expected)) {
            throw new MalformedModelException(
                    owner + ": loaded " + p.getName() + " is " + found + " but this cell (X=" + inputSize
                            + ", H=" + hiddenSize + ") needs " + expected);
        }
    }

    @Override
    public String toString() {
        return owner + "(X=" + inputSize + ", H=" + hiddenSize + ")";
    }
}
