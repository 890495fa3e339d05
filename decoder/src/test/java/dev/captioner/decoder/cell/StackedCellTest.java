package dev.captioner.decoder.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacked cells: shapes, state layout, and dropout between layers in training only. */
class StackedCellTest {

    private static StackedCell stack(CellType type, int layers, float drop) {
        return StackedCell.builder()
                .setCellType(type)
                .setInputSize(6)
                .setHiddenSize(4)
                .setNumLayers(layers)
                .optDropRate(drop)
                .build();
    }

    @Test
    void shapesAndNamesWithoutRunning() {
        StackedCell lstm = stack(CellType.LSTM, 3, 0.5f);
        assertEquals(6, lstm.stateCount());
        Shape h = new Shape(8, 4);
        Shape[] six = new Shape[6];
        Arrays.fill(six, h);
        assertArrayEquals(six, lstm.getOutputShapes(new Shape[] {new Shape(8, 6)}));
        assertEquals(List.of("01layer0", "02layer1", "03layer2"), lstm.getChildren().keys());
        assertEquals(6, lstm.layers().get(0).inputSize());
        assertEquals(4, lstm.layers().get(1).inputSize());
        StackedCell gru = stack(CellType.GRU, 2, 0f);
        assertEquals(2, gru.stateCount());
        assertThrows(IllegalArgumentException.class, () -> gru.getOutputShapes(new Shape[] {new Shape(8, 5)}));
    }

    @Test
    void inferenceChainsTheLayersWithoutDropout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            StackedCell cell = stack(CellType.LSTM, 2, 0.5f);
            cell.initialize(manager, DataType.FLOAT32, new Shape(3, 6));
            assertEquals(2 * 4, cell.getParameters().size());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(3, 6));
            NDList state = cell.initialState(manager, 3);
            NDList next = cell.step(ps, x, state, false);
            NDList bottom = cell.layers().get(0).step(ps, x, cell.layerState(state, 0), false);
            NDList top = cell.layers().get(1).step(ps, bottom.get(0), cell.layerState(state, 1), false);
            assertEquals(4, next.size());
            assertArrayEquals(bottom.get(0).toFloatArray(), next.get(0).toFloatArray()); // h^1
            assertArrayEquals(bottom.get(1).toFloatArray(), next.get(1).toFloatArray()); // c^1
            assertArrayEquals(top.get(0).toFloatArray(), next.get(2).toFloatArray()); // h^2
            assertArrayEquals(top.get(1).toFloatArray(), next.get(3).toFloatArray()); // c^2
            assertSame(next.get(2), cell.output(next));
        }
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            StackedCell cell = stack(CellType.GRU, 2, 0.5f);
            cell.initialize(manager, DataType.FLOAT32, new Shape(16, 6));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(16, 6));
            NDList state = cell.initialState(manager, 16);
            NDList inference = cell.step(ps, x, state, false);
            NDList again = cell.step(ps, x, state, false);
            NDList training1 = cell.step(ps, x, state, true);
            NDList training2 = cell.step(ps, x, state, true);
            // deterministic without training
            assertArrayEquals(inference.get(1).toFloatArray(), again.get(1).toFloatArray());
            // the bottom layer sees x undropped
            assertArrayEquals(inference.get(0).toFloatArray(), training1.get(0).toFloatArray(), 1e-7f);
            // the top layer sees dropout(h^1): different from inference, and from one draw to the next
            assertFalse(Arrays.equals(inference.get(1).toFloatArray(), training1.get(1).toFloatArray()));
            assertFalse(Arrays.equals(training1.get(1).toFloatArray(), training2.get(1).toFloatArray()));

            StackedCell noDrop = stack(CellType.GRU, 2, 0f);
            noDrop.initialize(manager, DataType.FLOAT32, new Shape(16, 6));
            NDList a = noDrop.step(ps, x, state, true);
            NDList b = noDrop.step(ps, x, state, false);
            assertArrayEquals(b.get(1).toFloatArray(), a.get(1).toFloatArray());
        }
    }

    @Test
    void dropoutIsInvertedAndKeepsHalf() {
        // the op StackedCell uses between layers: kept values scaled by 1 / (1 - p), about 1 - p kept
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            NDArray ones = manager.ones(new Shape(100, 100));
            float[] dropped = ai.djl.nn.norm.Dropout.dropout(ones, 0.5f, true).head().toFloatArray();
            int kept = 0;
            for (float v : dropped) {
                if (v != 0) {
                    assertEquals(2f, v);
                    kept++;
                }
            }
            assertEquals(5000, kept, 300);
            assertArrayEquals(
                    ones.toFloatArray(), ai.djl.nn.norm.Dropout.dropout(ones, 0.5f, false).head().toFloatArray());
        }
    }

    @Test
    void wrongStateCountIsReported() {
        try (NDManager manager = NDManager.newBaseManager()) {
            StackedCell cell = stack(CellType.LSTM, 2, 0f);
            cell.initialize(manager, DataType.FLOAT32, new Shape(2, 6));
            ParameterStore ps = new ParameterStore(manager, false);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> cell.step(ps, manager.ones(new Shape(2, 6)), new NDList(manager.zeros(new Shape(2, 4))), false));
            assertEquals("StackedCell: the state must hold 4 arrays (2 layers of 2), found 1", e.getMessage());
        }
    }
}
