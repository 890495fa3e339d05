package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing torchvision state dicts: round trip, error reports, files made by Python. */
class SafetensorsImportTest {

    private static final List<TorchvisionFixtures.Entry> RESNET18 = TorchvisionFixtures.stateDict("resnet18");

    private static NDManager manager;
    private static Backbone resnet18;

    @BeforeAll
    static void initialise() {
        manager = NDManager.newBaseManager();
        resnet18 = Backbones.create("resnet18");
        resnet18.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    /**
     * The resnet18 state dict with seeded uniform values in [-0.5, 0.5) (zeros for a null seed,
     * where only keys and shapes matter), head and counters included.
     */
    private static SafetensorsWriter seeded(Long seed, Predicate<String> keep) {
        Random random = seed == null ? null : new Random(seed);
        SafetensorsWriter writer = new SafetensorsWriter();
        for (TorchvisionFixtures.Entry e : RESNET18) {
            if (!keep.test(e.name())) {
                continue;
            }
            if (e.name().endsWith("num_batches_tracked")) {
                writer.i64(e.name(), e.shape(), new long[] {1234});
            } else {
                float[] v = new float[Math.toIntExact(e.shape().size())];
                for (int i = 0; random != null && i < v.length; i++) {
                    v[i] = random.nextFloat() - 0.5f;
                }
                writer.f32(e.name(), e.shape(), v);
            }
        }
        return writer;
    }

    private static float[] values(String key) {
        return resnet18.torchvisionParameters().get(key).getArray().toFloatArray();
    }

    @Test
    void roundTripCopiesEveryTensor(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resnet18.safetensors");
        Files.write(file, seeded(7L, k -> true).toBytes());
        SafetensorsImport.Result result = SafetensorsImport.load(resnet18, file);

        assertEquals(100, result.loaded().size()); // 122 keys less 20 counters, fc.weight, fc.bias
        assertEquals(List.of(), result.missing());
        assertEquals(List.of(), result.unexpected());
        assertEquals(22, result.ignored().size());
        // the values arrive where their names say, in torch's row-major layout
        Random random = new Random(7);
        Map<String, Parameter> params = resnet18.torchvisionParameters();
        for (TorchvisionFixtures.Entry e : RESNET18) {
            if (e.name().endsWith("num_batches_tracked")) {
                continue;
            }
            float[] expected = new float[Math.toIntExact(e.shape().size())];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = random.nextFloat() - 0.5f;
            }
            if (!SafetensorsImport.isIgnored(e.name())) {
                assertArrayEquals(expected, params.get(e.name()).getArray().toFloatArray(), e.name());
            }
        }
    }

    @Test
    void missingKeysAreNamedInOneLine() {
        byte[] data = seeded(null, k -> !k.startsWith("layer4.1.bn2.")).toBytes();
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SafetensorsImport.load(resnet18, data, "r18.safetensors", true));
        assertEquals("r18.safetensors: missing key layer4.1.bn2.weight (and 3 more)", e.getMessage());
    }

    @Test
    void unexpectedKeysAreNamed() {
        SafetensorsWriter writer = seeded(null, k -> true);
        writer.f32("layer5.0.conv1.weight", new Shape(2), new float[] {1, 2});
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SafetensorsImport.load(resnet18, writer.toBytes(), "r18.safetensors", true));
        assertEquals("r18.safetensors: unexpected key layer5.0.conv1.weight", e.getMessage());
    }

    @Test
    void shapeMismatchFailsEvenWhenNotStrictAndChangesNothing() {
        float[] before = values("bn1.bias");
        SafetensorsWriter writer = seeded(null, k -> !k.equals("conv1.weight"));
        writer.f32("conv1.weight", new Shape(64, 1, 7, 7), new float[64 * 49]);
        byte[] data = writer.toBytes();
        for (boolean strict : new boolean[] {true, false}) {
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> SafetensorsImport.load(resnet18, data, "gray.safetensors", strict));
            assertEquals(
                    "gray.safetensors: shape mismatch for conv1.weight: "
                            + "file (64, 1, 7, 7), model (64, 3, 7, 7)",
                    e.getMessage());
        }
        assertArrayEquals(before, values("bn1.bias")); // checked before anything is copied
    }

    @Test
    void anotherModelsFileListsBothSides() {
        SafetensorsWriter writer = new SafetensorsWriter();
        writer.f32("features.0.weight", new Shape(2), new float[2]);
        writer.f32("features.0.bias", new Shape(2), new float[2]);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SafetensorsImport.load(resnet18, writer.toBytes(), "vgg.safetensors", true));
        assertEquals(
                "vgg.safetensors: missing key conv1.weight (and 99 more); "
                        + "unexpected key features.0.weight (and 1 more)",
                e.getMessage());
    }

    @Test
    void notAWeightsFile() {
        byte[] garbage = "this is not a tensor file at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SafetensorsImport.load(resnet18, garbage, "notes.txt", true));
        assertTrue(e.getMessage().startsWith("notes.txt: "), e.getMessage());
    }

    @Test
    void uninitialisedBackboneIsRefused() {
        Backbone fresh = Backbones.create("vgg11");
        assertThrows(
                IllegalStateException.class,
                () -> SafetensorsImport.load(fresh, new byte[8], "x", true));
    }

    /**
     * Files written by Python (torchvision_reference.py): a hand-made safetensors file and
     * numpy.savez, both with the stem of the formula ResNet-18. Loaded non-strictly, they give the
     * values the Java formula gives.
     */
    @Test
    void pythonMadeSafetensorsAndNpzLoad() throws IOException {
        for (String file : List.of("resnet18-stem.safetensors", "resnet18-stem.npz")) {
            byte[] data = TorchvisionFixtures.resource("/torchvision-reference/" + file);
            SafetensorsImport.Result result = SafetensorsImport.load(resnet18, data, file, false);
            assertEquals(
                    List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"),
                    result.loaded(),
                    file);
            assertEquals(95, result.missing().size(), file);
            assertEquals(List.of(), result.unexpected(), file);
            assertEquals(List.of("bn1.num_batches_tracked", "fc.bias"), result.ignored(), file);
            for (int k = 0; k < 5; k++) {
                TorchvisionFixtures.Entry entry = RESNET18.get(k);
                assertArrayEquals(
                        TorchvisionFixtures.formula(entry),
                        values(entry.name()),
                        1e-7f,
                        file + " " + entry.name());
            }
            // the rest is untouched and a strict import of the same file names what is missing
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> SafetensorsImport.load(resnet18, data, file, true));
            assertEquals(file + ": missing key layer1.0.conv1.weight (and 94 more)", e.getMessage());
        }
    }
}
