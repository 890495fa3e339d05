package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.model.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class AttentionMapsTest {
    @TempDir
    static Path data;

    static List<Path> images;
    static Vocabulary vocabulary;

    @TempDir
    Path out;

    @BeforeAll
    static void makeImages() throws IOException {
        OpenCvNative.load();
        SynthScenes.builder().setImages(3).optSize(96).optSeed(12).build().write(data, done -> { });
        KarpathySplit split = KarpathySplit.read(data.resolve(SynthScenes.KARPATHY_FILE));
        images = new ArrayList<>();
        List<List<String>> tokens = new ArrayList<>();
        for (KarpathyImage image : split.images()) {
            images.add(data.resolve(image.relativePath()));
            for (KarpathySentence sentence : image.sentences()) {
                tokens.add(sentence.tokens());
            }
        }
        vocabulary = Vocabulary.build(tokens, 1);
    }

    /** A tiny attention captioner: ResNet-18 with its fixed-seed weights at 64 px (a 2x2 grid), a random decoder. */
    private static Path tinyPackage(Path dir, boolean attention) throws IOException {
        DecoderConfig config = new DecoderConfig(CellType.LSTM, attention, vocabulary.size(), 16, 32, 16, 512, 1, 0f, true, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            CaptionDecoder decoder = new CaptionDecoder(config);
            decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 512), new Shape(1, 512), new Shape(1, 1));
            return ModelPackage.writer().setEncoder("resnet18@64").setDecoder(decoder, vocabulary).write(dir.resolve("model.zip"));
        }
    }

    @Test
    void onePicturePerWordAtTheImageSizeAndOneSheet(@TempDir Path models) throws IOException {
        AttentionMaps maps = AttentionMaps.builder().optTileSize(64).optColumns(4).build();
        try (Captioner captioner = Captioner.load(tinyPackage(models, true),
                Captioner.Options.builder().optMaxLength(6).build())) {
            CaptionResult result = captioner.caption(images.get(0));
            assertTrue(!result.words().isEmpty(), "the tiny model says something");
            AttentionMaps.Written written = maps.write(images.get(0), result, captioner.preprocessor(), out);

            assertEquals(out.resolve("000000"), written.folder());
            assertEquals(result.words().size(), written.words().size());
            try (var files = Files.list(written.folder())) {
                assertEquals(result.words().size() + 1, files.count(), "a picture per word and the sheet, nothing else");
            }
            for (int t = 0; t < written.words().size(); t++) {
                Path picture = written.words().get(t);
                assertEquals(String.format("%02d_%s.png", t, AttentionMaps.fileSafe(result.words().get(t))),
                        picture.getFileName().toString());
                Mat read = Imgcodecs.imread(picture.toString());
                assertEquals(96, read.cols(), "the word's picture keeps the image's size");
                assertEquals(96, read.rows());
                assertEquals(CvType.CV_8UC3, read.type());
            }
            Mat sheet = Imgcodecs.imread(written.sheet().toString());
            int tiles = result.words().size() + 1;
            int columns = Math.min(4, tiles);
            assertEquals(columns * 64 + (columns + 1) * ContactSheet.GAP, sheet.cols());
            int rows = (tiles + columns - 1) / columns;
            assertTrue(sheet.rows() > rows * (64 + ContactSheet.GAP), "tiles below a caption: " + sheet.rows());
        }
    }

    @Test
    void eachMapCoversTheCropTheEncoderSawAndNothingElse() throws IOException {
        // A grey 96×64 image and an encoder input of 32 with R = 32: resized to 48×32, the centre 32×32 is
        // the image's columns 16..79, all its rows.
        Mat grey = new Mat(64, 96, CvType.CV_8UC3, new Scalar(128, 128, 128));
        ImagePreprocessor preprocessor = ImagePreprocessor.builder().optInputSize(32).optResizeSize(32).build();
        CropRegion crop = preprocessor.cropRegion(96, 64);
        assertEquals(new CropRegion(16, 0, 64, 64), crop);
        float[][] topLeft = {{1, 0}, {0, 0}};
        Caption caption = new Caption(List.of("<unk>"), -1.5, List.<float[][]>of(topLeft));
        AttentionMaps.Written written = AttentionMaps.builder().build().write(grey, crop, caption, out.resolve("grey"));

        assertEquals(out.resolve("grey").resolve("00__unk_.png"), written.words().get(0));
        Mat map = Imgcodecs.imread(written.words().get(0).toString()); // BGR
        double[] hot = map.get(20, 24); // the crop's top-left cell
        double[] cold = map.get(56, 72); // its bottom-right cell
        double[] unseen = map.get(40, 6); // left of the crop
        assertTrue(hot[2] > hot[0] + 40, "red where the word looked: " + java.util.Arrays.toString(hot));
        assertTrue(cold[0] > cold[2] + 40, "blue where it did not: " + java.util.Arrays.toString(cold));
        assertEquals(unseen[0], unseen[2], 1, "outside the crop: no colour");
        assertTrue(unseen[1] < 80, "outside the crop: dimmed, " + unseen[1]);
    }

    @Test
    void aPlainCaptionGetsOnlyTheSheet() throws IOException {
        Mat grey = new Mat(40, 40, CvType.CV_8UC3, new Scalar(90, 90, 90));
        Caption caption = new Caption(List.of("a", "red", "circle"), -2, List.of());
        AttentionMaps.Written written = AttentionMaps.builder().build().write(grey, new CropRegion(0, 0, 40, 40), caption,
                out.resolve("plain"));
        assertTrue(written.words().isEmpty());
        try (var files = Files.list(written.folder())) {
            assertEquals(List.of(written.sheet()), files.toList());
        }
        assertTrue(Imgcodecs.imread(written.sheet().toString()).cols() > 0);
    }

    @Test
    void writingAgainReplacesTheFolderWhole() throws IOException {
        Mat grey = new Mat(32, 32, CvType.CV_8UC3, new Scalar(90, 90, 90));
        float[][] even = {{0.25f, 0.25f}, {0.25f, 0.25f}};
        AttentionMaps maps = AttentionMaps.builder().build();
        CropRegion all = new CropRegion(0, 0, 32, 32);
        maps.write(grey, all, new Caption(List.of("a", "b", "c"), -1, List.of(even, even, even)), out.resolve("x"));
        maps.write(grey, all, new Caption(List.of("d"), -1, List.<float[][]>of(even)), out.resolve("x"));
        try (var files = Files.list(out.resolve("x"))) {
            assertEquals(List.of("00_d.png", "sheet.png"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (var left = Files.list(out)) {
            assertEquals(List.of(out.resolve("x")), left.toList(), "no temporary folders left behind");
        }
    }

    @Test
    void anUnreadableImageIsOneLine() throws IOException {
        Path text = Files.writeString(out.resolve("notes.jpg"), "not a picture");
        Caption caption = new Caption(List.of("a"), -1, List.of());
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> AttentionMaps.builder().build().write(text,
                new CaptionResult(dev.captioner.encoder.image.ImageInput.of(text), List.of(caption)), ImagePreprocessor.builder().build(), out));
        assertTrue(e.getMessage().startsWith(text + ": not an image"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
