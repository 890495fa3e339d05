package dev.captioner.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture made by src/test/python/make_tiny_torchscript.py with torch 1.13, run by libtorch 2.7.1. */
class TorchScriptEncoderTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchScriptEncoderTest.class.getResource("/torchscript/" + name).toURI());
    }

    @Test
    void reproducesTheOutputTorchComputed() throws Exception {
        List<String> lines = Files.readAllLines(resource("tiny_cnn_expected.txt"));
        float[] expected = new float[lines.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Float.parseFloat(lines.get(i));
        }
        try (TorchScriptEncoder encoder = TorchScriptEncoder.load(resource("tiny_cnn.pt"), 32);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(16, encoder.featureSize());
            assertEquals(64, encoder.locations());
            float[] input = new float[3 * 32 * 32];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) Math.sin(0.01 * i);
            }
            NDArray x = manager.create(input, new Shape(1, 3, 32, 32));
            try (EncodedImages out = encoder.encode(x)) {
                assertEquals(new Shape(1, 64, 16), out.grid().getShape());
                assertEquals(new Shape(1, 16), out.pooled().getShape());
                // grid[0, l, c] = map[0, c, l]
                float[] grid = out.grid().toFloatArray();
                double maxDiff = 0;
                for (int c = 0; c < 16; c++) {
                    for (int l = 0; l < 64; l++) {
                        maxDiff = Math.max(maxDiff, Math.abs(grid[l * 16 + c] - expected[c * 64 + l]));
                    }
                }
                assertTrue(maxDiff < 1e-5, "max difference to torch 1.13's output: " + maxDiff);
                float[] pooled = out.pooled().toFloatArray();
                double mean0 = 0;
                for (int l = 0; l < 64; l++) {
                    mean0 += expected[l];
                }
                assertEquals(mean0 / 64, pooled[0], 1e-5, "pooled is the grid's mean");
            }
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsNamed() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.pt"), "not a model");
        IOException e = assertThrows(IOException.class, () -> TorchScriptEncoder.load(bogus, 32));
        assertTrue(e.getMessage().startsWith(bogus + ": not a loadable TorchScript model"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> TorchScriptEncoder.load(dir.resolve("none.pt"), 32));
        assertTrue(missing.getMessage().endsWith("none.pt: no such TorchScript file"), missing.getMessage());
    }

    @Test
    void modelZooOfflineSaysWhatIsMissingAndTheOtherRoutes() {
        IOException e = assertThrows(IOException.class, () -> ModelZooEncoder.load("resnet18_embedding", 224));
        assertTrue(e.getMessage().contains("resnet18_embedding"), e.getMessage());
        assertTrue(e.getMessage().contains("torchscript:FILE.pt"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
