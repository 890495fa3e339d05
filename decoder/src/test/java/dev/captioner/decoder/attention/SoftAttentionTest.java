package dev.captioner.decoder.attention;

import static dev.captioner.decoder.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
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

/** SoftAttention and ContextGate as blocks: shapes, parameters, input checks, and what they compute. */
class SoftAttentionTest {

    private static SoftAttention attention(int d, int h, int a) {
        return SoftAttention.builder().setFeatureSize(d).setHiddenSize(h).setAttentionSize(a).build();
    }

    @Test
    void outputShapesWithoutParameters() {
        // the benchmark's sizes: L = 196, D = H = A = 512
        SoftAttention att = attention(512, 512, 512);
        Shape[] out = att.getOutputShapes(new Shape[] {new Shape(32, 196, 512), new Shape(32, 512)});
        assertArrayEquals(new Shape[] {new Shape(32, 512), new Shape(32, 196)}, out);
        ContextGate vector = ContextGate.builder().setHiddenSize(512).setFeatureSize(512).build();
        assertArrayEquals(
                new Shape[] {new Shape(32, 512), new Shape(32, 512)},
                vector.getOutputShapes(new Shape[] {new Shape(32, 512), new Shape(32, 512)}));
        ContextGate scalar = ContextGate.builder().setHiddenSize(256).setFeatureSize(512).optScalar(true).build();
        assertArrayEquals(
                new Shape[] {new Shape(8, 512), new Shape(8, 1)},
                scalar.getOutputShapes(new Shape[] {new Shape(8, 256), new Shape(8, 512)}));
        assertEquals(1, scalar.gateSize());
        assertThrows(IllegalStateException.class, () -> SoftAttention.builder().setFeatureSize(4).build());
        assertThrows(IllegalArgumentException.class, () -> SoftAttention.builder().setAttentionSize(-1));
        assertThrows(IllegalStateException.class, () -> ContextGate.builder().setHiddenSize(3).build());
    }

    @Test
    void parametersMatchTheReferenceNamesAndCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SoftAttention att = attention(512, 512, 512);
            att.initialize(manager, DataType.FLOAT32, new Shape(1, 196, 512), new Shape(1, 512));
            ContextGate gate = ContextGate.builder().setHiddenSize(512).setFeatureSize(512).build();
            gate.initialize(manager, DataType.FLOAT32, new Shape(1, 512), new Shape(1, 512));
            assertEquals(
                    List.of("enc_att.weight", "enc_att.bias", "dec_att.weight", "dec_att.bias", "full_att.weight",
                            "full_att.bias"),
                    att.getParameters().keys());
            long count = 0;
            for (Pair<String, Parameter> p : att.getParameters()) {
                count += p.getValue().getArray().size();
                // torch.nn.Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = D, H or A = 512
                float max = p.getValue().getArray().abs().max().getFloat();
                assertEquals(true, max <= 1 / Math.sqrt(512), p.getKey());
            }
            // WORKLOADS.md section 3: enc_att A x D + A, dec_att A x H + A, full_att 1 x A + 1
            assertEquals(512 * 512 + 512 + 512 * 512 + 512 + 512 + 1, count);
            assertEquals(new Shape(512, 512), gate.getParameters().get("weight").getArray().getShape());
        }
    }

    @Test
    void featureSizeMismatchFailsInJavaWithOneLine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SoftAttention att = attention(512, 16, 8);
            att.initialize(manager, DataType.FLOAT32, new Shape(2, 49, 512), new Shape(2, 16));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray grid256 = manager.zeros(new Shape(2, 49, 256)); // a grid from a smaller backbone
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> att.projectFeatures(ps, grid256));
            assertEquals("SoftAttention: a must be (B, L, D=512), found (2, 49, 256)", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> att.forward(ps, new NDList(grid256, manager.zeros(new Shape(2, 16))), false));
            assertEquals("SoftAttention: a must be (B, L, D=512), found (2, 49, 256)", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> att.getOutputShapes(new Shape[] {new Shape(2, 49, 256), new Shape(2, 16)}));
            assertEquals("SoftAttention: a must be (B, L, D=512), found (2, 49, 256)", e.getMessage());

            NDArray grid = manager.zeros(new Shape(2, 49, 512));
            NDArray projected = att.projectFeatures(ps, grid);
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> att.attend(ps, grid, projected, manager.zeros(new Shape(3, 16))));
            assertEquals("SoftAttention: h must be (B=2, H=16), found (3, 16)", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> att.attend(ps, grid, projected.get(":, :10"), manager.zeros(new Shape(2, 16))));
            assertEquals("SoftAttention: projected must be (B=2, L=49, A=8), found (2, 10, 8)", e.getMessage());

            SoftAttention fresh = attention(512, 16, 8);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> fresh.initialize(manager, DataType.FLOAT32, new Shape(2, 49, 256), new Shape(2, 16)));
            ContextGate gate = ContextGate.builder().setHiddenSize(16).setFeatureSize(512).build();
            gate.initialize(manager, DataType.FLOAT32, new Shape(2, 16), new Shape(2, 512));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> gate.apply(ps, manager.zeros(new Shape(2, 16)), manager.zeros(new Shape(2, 256))));
            assertEquals("ContextGate: context must be (B=2, D=512), found (2, 256)", e.getMessage());
        }
    }

    @Test
    void computesTheEquationsOnceProjected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(21);
            int b = 3;
            int l = 7;
            int d = 5;
            int h = 4;
            int a = 6;
            SoftAttention att = attention(d, h, a);
            att.initialize(manager, DataType.FLOAT32, new Shape(b, l, d), new Shape(b, h));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray grid = manager.randomUniform(0, 1, new Shape(b, l, d)); // (B, L, D)
            NDArray state = manager.randomNormal(new Shape(b, h)); // (B, H)

            NDList viaBlock = att.forward(ps, new NDList(grid, state), false);
            NDArray projected = att.projectFeatures(ps, grid);
            Attended out = att.attend(ps, grid, projected, state);
            assertArrayEquals(viaBlock.get(0).toFloatArray(), out.context().toFloatArray());
            assertArrayEquals(viaBlock.get(1).toFloatArray(), out.alpha().toFloatArray());
            assertEquals(new Shape(b, d), out.context().getShape());
            assertEquals(new Shape(b, l), out.alpha().getShape());

            // the same with plain ops, from the parameters
            NDArray wa = param(att, "enc_att.weight"); // (A, D)
            NDArray ba = param(att, "enc_att.bias");
            NDArray wh = param(att, "dec_att.weight"); // (A, H)
            NDArray bh = param(att, "dec_att.bias");
            NDArray w = param(att, "full_att.weight"); // (1, A)
            NDArray bw = param(att, "full_att.bias");
            NDArray p = grid.matMul(wa.transpose()).add(ba); // (B, L, A)
            NDArray hh = state.matMul(wh.transpose()).add(bh).expandDims(1); // (B, 1, A)
            NDArray e = p.add(hh).tanh().matMul(w.transpose()).add(bw).squeeze(2); // (B, L)
            NDArray alpha = e.exp().div(e.exp().sum(new int[] {1}, true)); // (B, L)
            NDArray context = alpha.expandDims(2).mul(grid).sum(new int[] {1}); // (B, D)
            assertClose("alpha", alpha, out.alpha(), 1e-6);
            assertClose("context", context, out.context(), 1e-6);
            assertClose("sum of alpha", manager.ones(new Shape(b)), out.alpha().sum(new int[] {1}), 1e-6);
        }
    }

    @Test
    void slicedEnergiesGiveTheSameAttention() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            int b = 7;
            int l = 300;
            int a = 512; // B·L·A = 1,075,200 > SLICE_ELEMENTS: slices of 6 and 1 rows
            SoftAttention att = attention(8, 4, a);
            att.initialize(manager, DataType.FLOAT32, new Shape(b, l, 8), new Shape(b, 4));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray grid = manager.randomUniform(0, 1, new Shape(b, l, 8)); // (B, L, D)
            NDArray state = manager.randomNormal(new Shape(b, 4)); // (B, H)
            NDArray projected = att.projectFeatures(ps, grid);
            Attended whole = att.attend(ps, grid, projected, state, false);
            Attended sliced = att.attend(ps, grid, projected, state, true);
            assertTrue((long) b * l * a > SoftAttention.SLICE_ELEMENTS);
            assertClose("alpha", whole.alpha(), sliced.alpha(), 1e-7);
            assertClose("context", whole.context(), sliced.context(), 1e-6);
        }
    }

    @Test
    void scalarGateBroadcastsOverChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ContextGate gate = ContextGate.builder().setHiddenSize(3).setFeatureSize(4).optScalar(true).build();
            gate.initialize(manager, DataType.FLOAT32, new Shape(2, 3), new Shape(2, 4));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray h = manager.randomNormal(new Shape(2, 3));
            NDArray context = manager.randomNormal(new Shape(2, 4));
            NDList out = gate.forward(ps, new NDList(h, context), false);
            assertEquals(new Shape(2, 4), out.get(0).getShape());
            assertEquals(new Shape(2, 1), out.get(1).getShape());
            assertClose("beta * z", context.mul(out.get(1)), out.get(0), 1e-7);
            assertClose("apply", out.get(0), gate.apply(ps, h, context), 0);
        }
    }

    @Test
    void loadRejectsParametersOfAnotherSize() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SoftAttention saved = attention(8, 4, 6);
            saved.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 8), new Shape(1, 4));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            saved.saveParameters(new DataOutputStream(bytes));
            SoftAttention other = attention(16, 4, 6);
            MalformedModelException e = assertThrows(
                    MalformedModelException.class,
                    () -> other.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertEquals(
                    "SoftAttention: loaded enc_att.weight is (6, 8) but SoftAttention(D=16, H=4, A=6) needs (6, 16)",
                    e.getMessage());
        }
    }

    private static NDArray param(SoftAttention att, String name) {
        return att.getParameters().get(name).getArray();
    }
}
