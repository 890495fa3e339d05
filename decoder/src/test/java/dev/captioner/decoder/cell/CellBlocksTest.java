package dev.captioner.decoder.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cells as blocks: shapes without running, parameters, initialisation, input checks, save and load. */
class CellBlocksTest {

    @Test
    void outputShapesWithoutParameters() {
        LstmCell lstm = LstmCell.builder().setInputSize(1024).setHiddenSize(512).build();
        GruCell gru = GruCell.builder().setInputSize(1024).setHiddenSize(512).build();
        Shape x = new Shape(32, 1024);
        Shape h = new Shape(32, 512);
        assertArrayEquals(new Shape[] {h, h}, lstm.getOutputShapes(new Shape[] {x, h, h}));
        assertArrayEquals(new Shape[] {h, h}, lstm.getOutputShapes(new Shape[] {x}));
        assertArrayEquals(new Shape[] {h}, gru.getOutputShapes(new Shape[] {x, h}));
        assertEquals(2, lstm.stateCount());
        assertEquals(1, gru.stateCount());
        assertEquals(1024, lstm.inputSize());
        assertEquals(512, gru.hiddenSize());
        assertTrue(!lstm.isInitialized());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void parametersHaveTorchNamesShapesAndInit(CellType type) {
        int x = 40;
        int h = 25;
        try (NDManager manager = NDManager.newBaseManager()) {
            RecurrentCell cell = type.create(x, h);
            cell.initialize(manager, DataType.FLOAT32, new Shape(2, x));
            long gh = (long) type.gates() * h;
            List<String> names = cell.getParameters().keys();
            assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), names);
            Shape[] shapes = {new Shape(gh, x), new Shape(gh, h), new Shape(gh), new Shape(gh)};
            double bound = 1 / Math.sqrt(h); // torch: U(-1/sqrt(H), 1/sqrt(H)) for all four
            int k = 0;
            for (Pair<String, Parameter> p : cell.getParameters()) {
                NDArray w = p.getValue().getArray();
                assertEquals(shapes[k++], w.getShape(), p.getKey());
                float max = w.abs().max().getFloat();
                assertTrue(max <= bound, p.getKey() + " exceeds the bound: " + max);
                assertTrue(max > 0.8 * bound, p.getKey() + " is not spread over the bound: " + max);
                assertTrue(Math.abs(w.mean().getFloat()) < 0.3 * bound, p.getKey() + " is not centred");
            }
        }
    }

    @Test
    void wrongInputSizeFailsInJavaWithOneLine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LstmCell cell = LstmCell.builder().setInputSize(8).setHiddenSize(4).build();
            cell.initialize(manager, DataType.FLOAT32, new Shape(2, 8));
            ParameterStore ps = new ParameterStore(manager, false);
            NDList state = cell.initialState(manager, 2);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> cell.step(ps, manager.ones(new Shape(2, 6)), state, false));
            assertEquals("LstmCell: x must be (B, X=8), found (2, 6)", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> cell.step(ps, manager.ones(new Shape(2, 8)), new NDList(state.get(0)), false));
            assertEquals("LstmCell: the state must hold 2 arrays, found 1", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> cell.step(ps, manager.ones(new Shape(3, 8)), state, false));
            assertEquals("LstmCell: h must be (B=3, H=4), found (2, 4)", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> cell.step(ps, manager.ones(new Shape(2, 8), DataType.FLOAT64), state, false));
            assertEquals("LstmCell: x is float64 but the parameters are float32", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class, () -> cell.getOutputShapes(new Shape[] {new Shape(2, 6)}));
            assertEquals("LstmCell: x must be (B, X=8), found (2, 6)", e.getMessage());
            GruCell fresh = GruCell.builder().setInputSize(8).setHiddenSize(4).build();
            assertThrows(
                    IllegalArgumentException.class,
                    () -> fresh.initialize(manager, DataType.FLOAT32, new Shape(2, 6)));
            assertThrows(
                    IllegalStateException.class,
                    () -> fresh.step(ps, manager.ones(new Shape(2, 8)), fresh.initialState(manager, 2), false));
        }
    }

    @Test
    void buildersCheckTheirSettings() {
        assertThrows(IllegalStateException.class, () -> LstmCell.builder().setInputSize(3).build());
        assertThrows(IllegalStateException.class, () -> GruCell.builder().build());
        assertThrows(IllegalArgumentException.class, () -> GruCell.builder().setHiddenSize(0));
        assertThrows(IllegalStateException.class, () -> StackedCell.builder().setInputSize(3).setHiddenSize(2).build());
        assertThrows(IllegalArgumentException.class, () -> StackedCell.builder().optDropRate(1f));
        assertEquals(CellType.GRU, CellType.of("gru"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellType.of("rnn"));
        assertEquals("unknown cell type 'rnn': expected lstm or gru", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void forwardFromZeroStateEqualsStep(CellType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            RecurrentCell cell = type.create(5, 3);
            cell.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(4, 5));
            NDList viaBlock = cell.forward(ps, new NDList(x), false);
            NDList viaStep = cell.step(ps, x, cell.initialState(manager, 4), false);
            assertEquals(cell.stateCount(), viaBlock.size());
            for (int s = 0; s < viaBlock.size(); s++) {
                assertEquals(new Shape(4, 3), viaBlock.get(s).getShape());
                assertArrayEquals(viaStep.get(s).toFloatArray(), viaBlock.get(s).toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void newStateLandsInTheManagerOfX(CellType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            RecurrentCell cell = type.create(5, 3);
            cell.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
            ParameterStore ps = new ParameterStore(manager, false);
            NDList state = cell.initialState(manager, 2); // the state of t - 1 lives outside the step
            try (NDManager step = manager.newSubManager()) {
                NDList next = cell.step(ps, step.ones(new Shape(2, 5)), state, true);
                for (NDArray s : next) {
                    assertSame(step, s.getManager());
                }
            }
        }
    }

    @Test
    void loadRejectsParametersOfAnotherSize() throws IOException, MalformedModelException {
        try (NDManager manager = NDManager.newBaseManager()) {
            LstmCell saved = LstmCell.builder().setInputSize(4).setHiddenSize(3).build();
            saved.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            saved.saveParameters(new DataOutputStream(bytes));

            LstmCell same = LstmCell.builder().setInputSize(4).setHiddenSize(3).build();
            same.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(
                    saved.weightHh().getArray().toFloatArray(), same.weightHh().getArray().toFloatArray());

            LstmCell other = LstmCell.builder().setInputSize(5).setHiddenSize(3).build();
            MalformedModelException e = assertThrows(
                    MalformedModelException.class,
                    () -> other.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertEquals("LstmCell: loaded weight_ih is (12, 4) but this cell (X=5, H=3) needs (12, 5)", e.getMessage());
        }
    }
}
