package dev.captioner.decoder.attention;

import static dev.captioner.decoder.TestSupport.assertClose;
import static dev.captioner.decoder.TestSupport.formula;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.captioner.decoder.TestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SoftAttention and the vector ContextGate against the benchmark's PyTorch SoftAttention and f_beta
 * (torch 1.13), on the closed-form weights and inputs of {@code src/test/python/torch_cells.py}.
 */
class TorchAttentionParityTest {

    @Test
    void matchesTorchReference() {
        Map<String, float[]> fixture = TestSupport.torchFixture();
        float[] sizes = fixture.get("att_sizes");
        int b = (int) sizes[0];
        int l = (int) sizes[1];
        int d = (int) sizes[2];
        int h = (int) sizes[3];
        int a = (int) sizes[4];
        try (NDManager manager = NDManager.newBaseManager()) {
            SoftAttention att = SoftAttention.builder().setFeatureSize(d).setHiddenSize(h).setAttentionSize(a).build();
            att.initialize(manager, DataType.FLOAT32, new Shape(b, l, d), new Shape(b, h));
            ContextGate gate = ContextGate.builder().setHiddenSize(h).setFeatureSize(d).build();
            gate.initialize(manager, DataType.FLOAT32, new Shape(b, h), new Shape(b, d));
            int k = 0;
            for (String name : new String[] {
                "enc_att.weight", "enc_att.bias", "dec_att.weight", "dec_att.bias", "full_att.weight", "full_att.bias"
            }) {
                TestSupport.setFormulaWeights(att.getParameters().get(name), k++);
            }
            for (Parameter p : new Parameter[] {gate.getParameters().get("weight"), gate.getParameters().get("bias")}) {
                TestSupport.setFormulaWeights(p, k++);
            }
            NDArray grid = manager.create(formula((long) b * l * d, 0.5, 0.07, 0, v -> 1 + Math.cos(v)), new Shape(b, l, d));
            NDArray state = manager.create(formula((long) b * h, 0.5, 0.3, 1.0, Math::sin), new Shape(b, h));
            ParameterStore ps = new ParameterStore(manager, false);
            Attended out = att.attend(ps, grid, att.projectFeatures(ps, grid), state);
            NDArray beta = gate.beta(ps, state);
            double max = 0;
            max = Math.max(max, assertClose("context", fixture.get("att context 0"), out.context().toFloatArray(), 1e-5));
            max = Math.max(max, assertClose("alpha", fixture.get("att alpha 0"), out.alpha().toFloatArray(), 1e-5));
            max = Math.max(max, assertClose("beta", fixture.get("att beta 0"), beta.toFloatArray(), 1e-5));
            System.out.printf("SoftAttention + ContextGate vs torch reference: max |diff| %.3g%n", max);
        }
    }
}
