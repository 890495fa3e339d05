package dev.captioner.decoder.cell;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * N cells of one kind on top of each other, as PyTorch's multi-layer {@code nn.LSTM}/{@code nn.GRU}
 * but one step at a time:
 *
 * <pre>
 *   h^0_t = x_t
 *   state^k_t = cell_k(dropout(h^{k-1}_t), state^k_{t-1})     k = 1 .. N (no dropout before layer 1)
 *   output: h^N_t
 * </pre>
 *
 * <p>Dropout is inverted (kept values scaled by 1 / (1 - p)), in training only, and only between
 * layers: the output {@code h^N} is left to the decoder. Layer 1 takes X inputs, the others H. The state
 * is layer after layer: {@code (h^1, c^1, h^2, c^2, ...)} for LSTMs, {@code (h^1, h^2, ...)} for GRUs,
 * each {@code (B, H)}. Children are named {@code layer0, layer1, ...}.
 */
public final class StackedCell extends AbstractBlock implements RecurrentCell {

    private static final byte VERSION = 1;

    private final CellType type;
    private final int inputSize;
    private final int hiddenSize;
    private final float dropRate;
    private final List<RecurrentCell> layers;

    StackedCell(Builder builder) {
        super(VERSION);
        type = builder.type;
        inputSize = builder.inputSize;
        hiddenSize = builder.hiddenSize;
        dropRate = builder.dropRate;
        List<RecurrentCell> cells = new ArrayList<>();
        for (int k = 0; k < builder.numLayers; k++) {
            RecurrentCell cell = type.create(k == 0 ? inputSize : hiddenSize, hiddenSize);
            cells.add(addChildBlock("layer" + k, cell));
        }
        layers = Collections.unmodifiableList(cells);
    }

    /** A builder: the cell type, X, H and the number of layers are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The cell kind of every layer. */
    public CellType type() {
        return type;
    }

    /** The layers, bottom first. */
    public List<RecurrentCell> layers() {
        return layers;
    }

    /** The dropout rate between layers. */
    public float dropRate() {
        return dropRate;
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
        return layers.size() * type.stateCount();
    }

    /** {@inheritDoc} The top layer's {@code h}. */
    @Override
    public NDArray output(NDList state) {
        return state.get(stateCount() - type.stateCount());
    }

    /** The state of layer {@code k} (0 = bottom) within a full state. */
    public NDList layerState(NDList state, int k) {
        int per = type.stateCount();
        return new NDList(state.subList(k * per, (k + 1) * per));
    }

    /** {@inheritDoc} */
    @Override
    public NDList step(ParameterStore ps, NDArray x, NDList state, boolean training) {
        if (state.size() != stateCount()) {
            throw new IllegalArgumentException(
                    "StackedCell: the state must hold " + stateCount() + " arrays (" + layers.size()
                            + " layers of " + type.stateCount() + "), found " + state.size());
        }
        NDList next = new NDList(stateCount());
        NDArray input = x; // (B, X), then (B, H)
        boolean ownInput = false;
        for (int k = 0; k < layers.size(); k++) {
            NDList layerNext = layers.get(k).step(ps, input, layerState(state, k), training);
            next.addAll(layerNext);
            if (ownInput) {
                input.close();
            }
            input = layerNext.get(0); // (B, H)
            ownInput = false;
            if (training && dropRate > 0 && k + 1 < layers.size()) {
                input = Dropout.dropout(input, dropRate, true).head(); // (B, H)
                ownInput = true;
            }
        }
        return next;
    }

    /** {@inheritDoc} Takes {@code (x, state...)} or {@code (x)} alone for a zero state. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, X)
        NDList state =
                inputs.size() == 1
                        ? initialState(x.getManager(), x.getDataType(), x.getShape().get(0))
                        : new NDList(inputs.subList(1, inputs.size()));
        return step(ps, x, state, training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        layers.get(0).getOutputShapes(new Shape[] {inputShapes[0]}); // checks X
        return stateShapes(inputShapes[0].get(0));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        for (int k = 0; k < layers.size(); k++) {
            Shape in = k == 0 ? inputShapes[0] : new Shape(batch, hiddenSize); // (B, X) or (B, H)
            layers.get(k).initialize(manager, dataType, in);
        }
    }

    @Override
    public String toString() {
        return "StackedCell(" + type + " x" + layers.size() + ", X=" + inputSize + ", H=" + hiddenSize
                + ", dropout=" + dropRate + ")";
    }

    /** Builds a {@link StackedCell}. */
    public static final class Builder extends CellBuilder<Builder> {

        CellType type;
        int numLayers = -1;
        float dropRate;

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Sets the kind of every layer (required). */
        public Builder setCellType(CellType type) {
            this.type = type;
            return this;
        }

        /** Sets N, the number of layers (required, at least 1). */
        public Builder setNumLayers(int numLayers) {
            this.numLayers = positive("numLayers", numLayers);
            return this;
        }

        /** Sets the dropout rate between layers, in [0, 1); default 0. */
        public Builder optDropRate(float dropRate) {
            if (!(dropRate >= 0 && dropRate < 1)) {
                throw new IllegalArgumentException("dropRate must be in [0, 1), got " + dropRate);
            }
            this.dropRate = dropRate;
            return this;
        }

        /** The stack; throws {@link IllegalStateException} when a required setting is missing. */
        public StackedCell build() {
            requireSizes("StackedCell");
            if (type == null || numLayers < 0) {
                throw new IllegalStateException("StackedCell needs setCellType and setNumLayers");
            }
            return new StackedCell(this);
        }
    }
}
