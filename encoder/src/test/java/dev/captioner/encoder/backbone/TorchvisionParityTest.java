package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.captioner.encoder.EncodedImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With identical weights, the DJL backbones give torchvision's output. Both sides build the weights
 * and the input from one formula (TorchvisionFixtures.formula, torchvision_reference.py); only
 * torchvision's outputs are committed (torchvision-reference/expected.npz). The weights travel
 * through the real path: a safetensors file, {@link SafetensorsImport}, {@link BackboneEncoder}.
 */
class TorchvisionParityTest {

    @ParameterizedTest(name = "{0} at {1}x{1}")
    @CsvSource({"resnet18, 64, resnet18_64", "vgg11, 32, vgg11_32"})
    void sameOutputAsTorchvision(String model, int size, String expectedKey, @TempDir Path dir)
            throws IOException {
        Path weights = dir.resolve(model + ".safetensors");
        Files.write(weights, TorchvisionFixtures.formulaSafetensors(model));
        try (BackboneEncoder encoder =
                        BackboneEncoder.builder()
                                .setBackbone(model)
                                .optInputSize(size)
                                .optWeights(weights)
                                .build();
                NDManager manager = NDManager.newBaseManager()) {
            NDList expectedFile =
                    NDList.decode(
                            manager, TorchvisionFixtures.resource("/torchvision-reference/expected.npz"));
            NDArray expected = expectedFile.get(expectedKey); // (1, 512, 2, 2)
            assertEquals(new Shape(1, 512, 2, 2), expected.getShape());

            EncodedImages out = encoder.encode(TorchvisionFixtures.formulaInput(manager, size));
            NDArray grid = expected.reshape(1, 512, 4).transpose(0, 2, 1); // (1, L, D)
            float maxAbs = expected.abs().max().getFloat();
            float gridDiff = out.grid().sub(grid).abs().max().getFloat();
            float pooledDiff = out.pooled().sub(grid.mean(new int[] {1})).abs().max().getFloat();
            System.out.printf(
                    "%s@%d vs torchvision: max |diff| grid %.3g, pooled %.3g (max |value| %.3g)%n",
                    model, size, gridDiff, pooledDiff, maxAbs);
            assertTrue(gridDiff < 1e-4f * Math.max(1f, maxAbs), "grid differs by " + gridDiff);
            assertTrue(pooledDiff < 1e-4f * Math.max(1f, maxAbs), "pooled differs by " + pooledDiff);
            assertTrue(maxAbs > 0.1f, "a trivial reference proves nothing");
        }
    }
}
