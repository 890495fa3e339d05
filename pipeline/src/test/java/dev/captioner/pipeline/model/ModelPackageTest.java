package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.Captions;
import dev.captioner.decoder.search.GreedySearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPackageTest {
    private static final int MAX_LENGTH = 12;

    @TempDir
    static Path data;

    static List<Path> images;
    static Vocabulary vocabulary;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeImages() throws IOException {
        KarpathySplit split = TinyModels.scenes(data, 6, 3);
        images = TinyModels.files(data, split);
        vocabulary = TinyModels.vocabulary(split);
    }

    @ParameterizedTest(name = "{0} {1} attention={2}")
    @CsvSource({"folder, FLOAT32, true", "zip, FLOAT32, true", "folder, FLOAT16, true", "zip, FLOAT16, true",
            "zip, FLOAT16, false"})
    void aPackageCaptionsExactlyAsTheDecoderItWasMadeFrom(String layout, StorageType storage, boolean attention) throws IOException {
        DecoderConfig config = TinyModels.config(CellType.LSTM, attention, vocabulary.size());
        Path out = dir.resolve(layout.equals("zip") ? "model.zip" : "model");
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 7);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).optStorage(storage)
                    .optProvenance("command", "test").optProvenance("CIDEr", 0.5).write(out);
            if (storage == StorageType.FLOAT16) {
                TinyModels.roundToFloat16(decoder); // what the package holds, exactly
            }
            Captions expected = TinyModels.reference(decoder, images, MAX_LENGTH);

            try (Captioner captioner = Captioner.load(out, Captioner.Options.builder().optMaxLength(MAX_LENGTH).build())) {
                PackageConfig loaded = captioner.model().config();
                assertEquals(storage, loaded.storage());
                assertEquals(config, loaded.decoder());
                assertEquals("test", loaded.provenance().get("command"));
                assertEquals(0.5, loaded.provenance().get("CIDEr"));
                assertEquals(2, loaded.encoder().gridRows());
                List<CaptionResult> results = captioner.caption(images);
                assertEquals(images.size(), results.size());
                int words = 0;
                for (int i = 0; i < images.size(); i++) {
                    CaptionResult result = results.get(i);
                    assertEquals(images.get(i), result.image());
                    assertEquals(vocabulary.decodeToString(expected.words()[i]), result.text(), "image " + i);
                    assertEquals(attention ? result.words().size() : 0, result.attention().size());
                    for (int t = 0; t < result.attention().size(); t++) {
                        float[][] grid = result.attention().get(t);
                        float[] flat = {grid[0][0], grid[0][1], grid[1][0], grid[1][1]};
                        assertArrayEquals(expected.alphas()[i][t], flat, 1e-6f, "alpha of word " + t);
                    }
                    assertTrue(result.logProb() <= 0 && Double.isFinite(result.logProb()), "log p " + result.logProb());
                    words += result.words().size();
                }
                assertTrue(words > 0, "the captions have words");
            }
        }
    }

    @Test
    void float16StorageHalvesTheWeightsAndLoadsAsFloat32() throws IOException {
        DecoderConfig config = TinyModels.config(CellType.GRU, true, vocabulary.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 3);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(dir.resolve("f32"));
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).optStorage(StorageType.FLOAT16)
                    .write(dir.resolve("f16"));
            long full = Files.size(dir.resolve("f32").resolve(ModelPackage.DECODER_FILE));
            long half = Files.size(dir.resolve("f16").resolve(ModelPackage.DECODER_FILE));
            assertTrue(half < full * 0.55 && half > full * 0.45, full + " -> " + half);
            TinyModels.roundToFloat16(decoder);
            try (ModelPackage loaded = ModelPackage.load(dir.resolve("f16"))) {
                ParameterList want = decoder.getParameters();
                ParameterList got = loaded.decoder().getParameters();
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, got.get(i).getValue().getArray().getDataType());
                    assertArrayEquals(want.get(i).getValue().getArray().toFloatArray(), got.get(i).getValue().getArray().toFloatArray(),
                            want.get(i).getKey());
                }
            }
        }
    }

    @Test
    void logProbIsTheSumOfTheGreedyStepsLogSoftmax() throws IOException {
        DecoderConfig config = TinyModels.config(CellType.LSTM, true, vocabulary.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 11);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(dir.resolve("m"));
            double expected = StepByStep.greedyLogProb(decoder, images.get(0), MAX_LENGTH);
            try (Captioner captioner = Captioner.load(dir.resolve("m"), Captioner.Options.builder().optMaxLength(MAX_LENGTH).build())) {
                assertEquals(expected, captioner.caption(images.get(0)).logProb(), 1e-4);
            }
        }
    }

    @Test
    void rewritingAPackageReplacesItButAnotherFolderIsNeverTouched() throws IOException {
        DecoderConfig config = TinyModels.config(CellType.GRU, false, vocabulary.size());
        Path out = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 5);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(out);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).optStorage(StorageType.FLOAT16).write(out);
            try (ModelPackage loaded = ModelPackage.load(out)) {
                assertEquals(StorageType.FLOAT16, loaded.config().storage());
            }
            try (var left = Files.list(dir)) {
                assertEquals(List.of(out), left.toList(), "no temporary folders left behind");
            }

            Path photos = Files.createDirectories(dir.resolve("photos"));
            Files.writeString(photos.resolve("keep.txt"), "mine");
            DataFormatException e = assertThrows(DataFormatException.class, () ->
                    ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(photos));
            assertEquals(photos.toAbsolutePath() + ": is a folder that is not a model package; it is not replaced (choose another path)",
                    e.getMessage());
            assertEquals("mine", Files.readString(photos.resolve("keep.txt")));
        }
    }

    @Test
    void anEncoderOtherThanTheFeaturesWereMadeWithIsNotPackaged() throws IOException {
        DecoderConfig config = TinyModels.config(CellType.GRU, false, vocabulary.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelPackage.writer()
                    .setEncoder("resnet18@96").setDecoder(decoder, vocabulary).optFeatureIdentity("resnet18@64 random-init seed 0")
                    .write(dir.resolve("m")));
            assertEquals("encoder resnet18@96 is resnet18@96 random-init seed 0, but the features were made with resnet18@64"
                    + " random-init seed 0; package the encoder the features were made with", e.getMessage());
            assertFalse(Files.exists(dir.resolve("m")));
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary)
                    .optFeatureIdentity("resnet18@64 random-init seed 0").write(dir.resolve("m"));
            try (ModelPackage loaded = ModelPackage.load(dir.resolve("m"))) {
                assertEquals("resnet18@64 random-init seed 0", loaded.config().provenance().get("features"));
            }
        }
    }

    @Test
    void aDecoderThatDoesNotFitTheEncoderIsNotPackaged() throws IOException {
        DecoderConfig config = new DecoderConfig(CellType.LSTM, true, vocabulary.size(), 8, 8, 8, 256, 1, 0f, true, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(dir.resolve("m")));
            assertEquals("the decoder reads features of size 256 but encoder resnet18@64 gives 2x2x512 at 64 px;"
                    + " package the encoder the features were made with", e.getMessage());
            assertFalse(Files.exists(dir.resolve("m")));
        }
    }
}
