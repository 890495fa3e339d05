package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes {@code src/test/resources/packages/att-gru-v1.zip}, the captioner-model/1 package that
 * {@link LegacyPackageTest} keeps loading: run once, from the decoder folder, when the format version
 * changes (never to "fix" that test), with the test classpath and {@code -Dai.djl.offline=true}.
 * It prints the caption and log-probability the test expects.
 */
final class LegacyPackageFixture {
    static final Path FILE = Path.of("src/test/resources/packages/att-gru-v1.zip");
    static final List<String> WORDS = List.of("a", "small", "large", "red", "green", "blue", "yellow", "circle", "square",
            "triangle", "star", "above", "below", "left", "right", "of", "and", "the");

    private LegacyPackageFixture() {}

    static Vocabulary vocabulary() {
        return Vocabulary.build(List.of(WORDS), 1);
    }

    public static void main(String[] args) throws Exception {
        Vocabulary vocabulary = vocabulary();
        DecoderConfig config = new DecoderConfig(CellType.GRU, true, vocabulary.size(), 8, 8, 8, 512, 1, 0f, true, false);
        Files.createDirectories(FILE.getParent());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(2026);
            CaptionDecoder decoder = new CaptionDecoder(config);
            decoder.initialize(manager, DataType.FLOAT32, new Shape(1, TinyModels.LOCATIONS, 512), new Shape(1, 512), new Shape(1, 1));
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).optStorage(StorageType.FLOAT16)
                    .optProvenance("made_by", "LegacyPackageFixture").write(FILE);
        }
        Path images = Files.createTempDirectory("legacy");
        Path image = TinyModels.files(images, TinyModels.scenes(images, 1, LegacyPackageTest.IMAGE_SEED)).get(0);
        try (Captioner captioner = Captioner.load(FILE)) {
            CaptionResult result = captioner.caption(image);
            System.out.println(Files.size(FILE) + " bytes; caption: " + result.text() + "; log p " + result.logProb());
        }
    }
}
