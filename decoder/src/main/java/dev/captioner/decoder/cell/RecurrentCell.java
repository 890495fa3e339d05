package dev.captioner.decoder.cell;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * One step of a recurrent network: {@code state_t = cell(x_t, state_{t-1})}, for decoders that run
 * their own loop over time (attention needs {@code h_{t-1}} before it can build {@code x_t}).
 *
 * <p>The state is an {@link NDList} of {@link #stateCount()} arrays, each {@code (B, H)}: {@code (h)}
 * for a GRU, {@code (h, c)} for an LSTM, and layer after layer for a {@link StackedCell}. The hidden
 * state to read out (to the attention or the output layer) is {@link #output(NDList)}.
 *
 * <p>As a {@link Block}, a cell takes {@code (x, state...)} and returns the new state; without the state
 * it starts from zeros. {@link #step} is the same computation without the block's bookkeeping.
 */
public interface RecurrentCell extends Block {

    /** X, the size of the input {@code x_t}. */
    int inputSize();

    /** H, the size of the hidden state (of each layer). */
    int hiddenSize();

    /** How many {@code (B, H)} arrays make a state: 1 (GRU), 2 (LSTM), times the layers when stacked. */
    int stateCount();

    /**
     * One step.
     *
     * @param ps the parameter store
     * @param x the input {@code (B, X)}
     * @param state the state at {@code t - 1}: {@link #stateCount()} arrays, each {@code (B, H)}
     * @param training whether this is a training pass (dropout between stacked layers)
     * @return the new state, {@code h} first; its arrays belong to {@code x}'s manager
     * @throws IllegalArgumentException when a shape or the data type does not fit the cell
     */
    NDList step(ParameterStore ps, NDArray x, NDList state, boolean training);

    /** The hidden state to read out: {@code h} of the (top) layer. */
    default NDArray output(NDList state) {
        return state.get(0);
    }

    /** The shapes of the state for a batch of {@code batch} rows: {@code stateCount()} times (B, H). */
    default Shape[] stateShapes(long batch) {
        Shape[] shapes = new Shape[stateCount()];
        for (int j = 0; j < shapes.length; j++) {
            shapes[j] = new Shape(batch, hiddenSize()); // (B, H)
        }
        return shapes;
    }

    /** A zero state of {@code batch} rows in {@code manager}. */
    default NDList initialState(NDManager manager, DataType dataType, long batch) {
        NDList state = new NDList(stateCount());
        for (Shape shape : stateShapes(batch)) {
            state.add(manager.zeros(shape, dataType)); // (B, H)
        }
        return state;
    }

    /** A zero float32 state of {@code batch} rows in {@code manager}. */
    default NDList initialState(NDManager manager, long batch) {
        return initialState(manager, DataType.FLOAT32, batch);
    }
}
