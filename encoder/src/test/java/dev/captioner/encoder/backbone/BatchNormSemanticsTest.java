package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * The batch norm the backbones use behaves as torch's {@code BatchNorm2d()}: eps 1e-5; a training
 * step updates {@code running = (1 - 0.1) running + 0.1 batch} with the unbiased batch variance;
 * inference normalises with the running statistics.
 */
class BatchNormSemanticsTest {

    /** Two channels, batch 2, 1x2 maps: channel 0 holds 1, 2, 3, 4 and channel 1 holds 10, 10, 10, 14. */
    private static NDArray input(NDManager manager) {
        return manager.create(new float[] {1, 2, 10, 10, 3, 4, 10, 14}, new Shape(2, 2, 1, 2));
    }

    @Test
    void trainingUpdatesRunningStatsWithTorchMomentum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm bn = ResidualUnit.batchNorm();
            bn.initialize(manager, DataType.FLOAT32, new Shape(2, 2, 1, 2));
            bn.forward(new ParameterStore(manager, false), new NDList(input(manager)), true);
            NDArray mean = bn.getParameters().get("runningMean").getArray();
            NDArray var = bn.getParameters().get("runningVar").getArray();
            // batch mean 2.5, 11; unbiased variance 5/3, 4; torch: 0.9 * (0, 1) + 0.1 * batch
            assertArrayEquals(new float[] {0.25f, 1.1f}, mean.toFloatArray(), 1e-6f);
            assertArrayEquals(
                    new float[] {0.9f + 0.1f * 5f / 3f, 0.9f + 0.1f * 4f}, var.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void inferenceUsesRunningStats() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm bn = ResidualUnit.batchNorm();
            bn.initialize(manager, DataType.FLOAT32, new Shape(2, 2, 1, 2));
            bn.getParameters().get("gamma").getArray().set(new float[] {2f, 1f});
            bn.getParameters().get("beta").getArray().set(new float[] {0.5f, 0f});
            bn.getParameters().get("runningMean").getArray().set(new float[] {1f, 10f});
            bn.getParameters().get("runningVar").getArray().set(new float[] {4f, 1f});
            NDArray out =
                    bn.forward(new ParameterStore(manager, false), new NDList(input(manager)), false)
                            .head();
            float[] expected = new float[8];
            float[] x = input(manager).toFloatArray();
            for (int i = 0; i < 8; i++) {
                int c = (i / 2) % 2;
                expected[i] =
                        c == 0
                                ? (float) (2 * (x[i] - 1) / Math.sqrt(4 + 1e-5) + 0.5)
                                : (float) ((x[i] - 10) / Math.sqrt(1 + 1e-5));
            }
            assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
            // and inference leaves the running statistics alone
            assertArrayEquals(
                    new float[] {1f, 10f},
                    bn.getParameters().get("runningMean").getArray().toFloatArray());
        }
    }
}
