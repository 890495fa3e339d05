package dev.captioner.encoder.image;

import static dev.captioner.encoder.image.TestImages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.encoder.image.ImageDecodeException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import dev.captioner.data.synth.OpenCvNative;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class ImagePreprocessorTest {
    @BeforeAll
    static void loadOpenCv() {
        OpenCvNative.load();
    }

    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    Path dir;

    private static ImagePreprocessor sized(int input, int resize) {
        return ImagePreprocessor.builder().optInputSize(input).optResizeSize(resize).build();
    }

    /** (v/255 − mean_c)/std_c. */
    private static float normalised(int value, int channel) {
        return (float) ((value / 255.0 - MEAN[channel]) / STD[channel]);
    }

    @Test
    void builderDefaultsFollowTorchvision() {
        ImagePreprocessor standard = ImagePreprocessor.builder().build();
        assertEquals(224, standard.inputSize());
        assertEquals(256, standard.resizeSize());
        assertEquals(new Shape(3, 224, 224), standard.imageShape());
        assertEquals(342, ImagePreprocessor.builder().optInputSize(299).build().resizeSize());
        assertEquals(146, ImagePreprocessor.builder().optInputSize(128).build().resizeSize());
        assertEquals(300, sized(224, 300).resizeSize());
        assertThrows(IllegalArgumentException.class, () -> sized(224, 200));
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessor.builder().optInputSize(0));
    }

    @Test
    void solidColourGivesTheNormalisedValueEverywhere() {
        Mat image = new Mat(4, 6, CvType.CV_8UC3, new Scalar(50, 100, 200)); // BGR; RGB = (200, 100, 50)
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = sized(2, 3).fromBgr(image, manager); // 6×4 → 4×3 (INTER_AREA) → 2×2
            assertEquals(new Shape(3, 2, 2), x.getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            float[] v = x.toFloatArray();
            int[] rgb = {200, 100, 50};
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(normalised(rgb[c], c), v[c * 4 + i], TOLERANCE, "channel " + c);
                }
            }
            // an upscaled 1×1 image is just as flat
            Mat dot = new Mat(1, 1, CvType.CV_8UC3, new Scalar(50, 100, 200));
            float[] up = sized(4, 5).fromBgr(dot, manager).toFloatArray();
            assertEquals(normalised(200, 0), up[0], TOLERANCE);
            assertEquals(normalised(50, 2), up[up.length - 1], TOLERANCE);
        }
    }

    /** A 4×2 image with a different colour in every pixel; S = R = 2 crops columns 1 and 2 without resizing. */
    @Test
    void cropKeepsAxesAndChannelZeroIsRed() {
        int[][][] pixels = {
            {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}},
            {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}, {100, 110, 120}},
        };
        Mat bgr = TestImages.bgr(pixels);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] v = sized(2, 2).fromBgr(bgr, manager).toFloatArray(); // (3, 2, 2): [c][y][x]
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        int expected = pixels[y][x + 1][c];
                        assertEquals(normalised(expected, c), v[c * 4 + y * 2 + x], TOLERANCE, "c=" + c + " y=" + y + " x=" + x);
                    }
                }
            }
            // spelled out: channel 0 (R) at (x=0, y=0) is the green pixel's R = 0; channel 1 there is 255
            assertEquals(normalised(0, 0), v[0], TOLERANCE);
            assertEquals(normalised(255, 1), v[4], TOLERANCE);
            // and (x=0, y=1) is pixel (1, 1) = (40, 50, 60)
            assertEquals(normalised(40, 0), v[2], TOLERANCE);

            // the same image standing up (2 wide, 4 high) crops rows 1 and 2
            int[][][] tall = {{{1, 1, 1}, {2, 2, 2}}, {{3, 3, 3}, {4, 4, 4}}, {{5, 5, 5}, {6, 6, 6}}, {{7, 7, 7}, {8, 8, 8}}};
            float[] t = sized(2, 2).fromBgr(TestImages.bgr(tall), manager).toFloatArray();
            assertEquals(normalised(3, 0), t[0], TOLERANCE);
            assertEquals(normalised(4, 0), t[1], TOLERANCE);
            assertEquals(normalised(5, 0), t[2], TOLERANCE);
            assertEquals(normalised(6, 0), t[3], TOLERANCE);
        }
    }

    @Test
    void shrinkingAveragesBlocksThenCrops() {
        // 8×4 of 2×2 blocks; the shorter side 4 → 2 halves both sides exactly: each block becomes one pixel
        int[][][] blocks = {
            {{10, 0, 0}, {20, 0, 0}, {30, 0, 0}, {40, 0, 0}},
            {{50, 0, 0}, {60, 0, 0}, {70, 0, 0}, {80, 0, 0}},
        };
        ImagePreprocessor p = sized(2, 2);
        Mat cropped = p.resizeAndCrop(TestImages.blocks(blocks, 2));
        assertEquals(2, cropped.cols());
        assertEquals(2, cropped.rows());
        byte[] px = new byte[12];
        cropped.get(0, 0, px);
        assertArrayEquals(new byte[] {0, 0, 20, 0, 0, 30, 0, 0, 60, 0, 0, 70}, px); // BGR in, BGR out

        // INTER_AREA averages: a 2×2 patch of 10, 20, 30, 40 becomes 25
        Mat patch = TestImages.bgr(new int[][][] {{{10, 0, 0}, {20, 0, 0}}, {{30, 0, 0}, {40, 0, 0}}});
        Mat one = sized(1, 1).resizeAndCrop(patch);
        assertArrayEquals(new int[] {0, 0, 25}, TestImages.rgbAt(one, 0, 0)); // BGR in, BGR out: R is last
    }

    @Test
    void enlargingIsLinearAndSymmetric() {
        // red | blue, 2×1 → 8×4 → centre 4×4: red fades into blue, mirror-symmetric
        Mat image = TestImages.bgr(new int[][][] {{{255, 0, 0}, {0, 0, 255}}});
        Mat rgbCrop = sized(4, 4).resizeAndCrop(image);
        Imgproc.cvtColor(rgbCrop, rgbCrop, Imgproc.COLOR_BGR2RGB);
        for (int x = 0; x < 4; x++) {
            int[] left = TestImages.rgbAt(rgbCrop, x, 0);
            int[] right = TestImages.rgbAt(rgbCrop, 3 - x, 0);
            assertEquals(left[0], right[2], "symmetric at x=" + x);
            if (x > 0) {
                assertTrue(left[0] < TestImages.rgbAt(rgbCrop, x - 1, 0)[0], "red falls left to right");
            }
        }
    }

    @Test
    void resizedSizeAndCentreFollowTorchvisionRounding() {
        assertArrayEquals(new int[] {341, 256}, ImagePreprocessor.resizedSize(640, 480, 256)); // 341.33 floored
        assertArrayEquals(new int[] {256, 455}, ImagePreprocessor.resizedSize(720, 1280, 256)); // 455.1
        assertArrayEquals(new int[] {256, 256}, ImagePreprocessor.resizedSize(500, 500, 256));
        assertEquals(58, ImagePreprocessor.centreOffset(341, 224)); // 58.5 → 58, ties to even
        assertEquals(2, ImagePreprocessor.centreOffset(5, 2)); // 1.5 → 2
        assertEquals(2, ImagePreprocessor.centreOffset(7, 2)); // 2.5 → 2
        // 7 wide, S = R = 2: columns 2 and 3
        int[][][] row = {{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {4, 0, 0}, {5, 0, 0}, {6, 0, 0}}};
        int[][][] image = {row[0], row[0]};
        Mat cropped = sized(2, 2).resizeAndCrop(TestImages.bgr(image));
        Imgproc.cvtColor(cropped, cropped, Imgproc.COLOR_BGR2RGB);
        assertEquals(2, TestImages.rgbAt(cropped, 0, 0)[0]);
        assertEquals(3, TestImages.rgbAt(cropped, 1, 0)[0]);
    }

    @Test
    void cropRegionIsWhatTheInputShowsInImagePixels() {
        // 640×480 → 341×256 (the long side floored), crop 224 from (58, 16); back: ×640/341 across, ×480/256 down
        assertCrop(new CropRegion(58 * 640.0 / 341, 16 * 1.875, 224 * 640.0 / 341, 224 * 1.875),
                ImagePreprocessor.builder().optInputSize(224).build().cropRegion(640, 480));
        // the project's own encoder resizes to its input side and crops nothing
        assertCrop(new CropRegion(0, 0, 64, 64), sized(64, 64).cropRegion(64, 64));
        // as resizeAndCrop above: 7 wide, S = R = 2 shows columns 2 and 3; 20×2 shows columns 9 and 10
        assertCrop(new CropRegion(2, 0, 2, 2), sized(2, 2).cropRegion(7, 2));
        assertCrop(new CropRegion(9, 0, 2, 2), sized(2, 2).cropRegion(20, 2));
        assertCrop(new CropRegion(0, 9, 2, 2), sized(2, 2).cropRegion(2, 20));
        assertArrayEquals(new int[] {109, 30, 420, 420}, new CropRegion(108.86, 30, 420.41, 420).pixels(640, 480));
        assertArrayEquals(new int[] {0, 0, 10, 5}, new CropRegion(-2, -1, 20, 20).pixels(10, 5), "clipped to the image");
    }

    private static void assertCrop(CropRegion expected, CropRegion actual) {
        assertArrayEquals(new double[] {expected.x(), expected.y(), expected.width(), expected.height()},
                new double[] {actual.x(), actual.y(), actual.width(), actual.height()}, 1e-9, actual.toString());
    }

    @Test
    void veryLongImagesAreCutToFourToOneFirst() {
        // 20×2, S = R = 2: cut to the centre 8×2, crop its columns 3 and 4, the image's columns 9 and 10, as without the cut
        int[][] values = new int[2][20];
        int[][][] pixels = new int[2][20][];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 20; x++) {
                pixels[y][x] = new int[] {x * 10 + y, 0, 0};
                values[y][x] = x * 10 + y;
            }
        }
        Mat cropped = sized(2, 2).resizeAndCrop(TestImages.bgr(pixels));
        Imgproc.cvtColor(cropped, cropped, Imgproc.COLOR_BGR2RGB);
        assertEquals(values[0][9], TestImages.rgbAt(cropped, 0, 0)[0]);
        assertEquals(values[0][10], TestImages.rgbAt(cropped, 1, 0)[0]);
        assertEquals(values[1][9], TestImages.rgbAt(cropped, 0, 1)[0]);

        // a 100000×1 strip would resize to 25.6 M × 256 whole; cut first, it is cheap
        Mat strip = new Mat(1, 100_000, CvType.CV_8UC3, new Scalar(0, 255, 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = ImagePreprocessor.builder().build().fromBgr(strip, manager);
            assertEquals(new Shape(3, 224, 224), x.getShape());
            assertEquals(normalised(255, 1), x.getFloat(1, 100, 100), TOLERANCE);
        }
    }

    @Test
    void rgbAndBgrEntryPointsAgree() {
        Mat bgr = TestImages.blocks(new int[][][] {{{200, 10, 10}, {10, 200, 10}}, {{10, 10, 200}, {90, 90, 90}}}, 5);
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        ImagePreprocessor p = sized(6, 7);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(p.fromRgb(rgb, manager).toFloatArray(), p.fromBgr(bgr, manager).toFloatArray());
            assertArrayEquals(p.toChw(rgb), p.fromRgb(rgb, manager).toFloatArray());
        }
        assertThrows(IllegalArgumentException.class, () -> p.toChw(new Mat(2, 2, CvType.CV_8UC4)));
        assertThrows(IllegalArgumentException.class, () -> p.toChw(new Mat()));
    }

    @Test
    void filesAndBytesGiveTheSameTensor() throws Exception {
        byte[] png = TestImages.encode(TestImages.blocks(new int[][][] {{{255, 0, 0}, {0, 0, 255}}}, 20), ".png");
        Path file = write(dir, "pair.png", png);
        ImagePreprocessor p = sized(16, 18);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray fromFile = p.preprocess(file, manager);
            NDArray fromBytes = p.preprocess(png, "memory", manager);
            assertEquals(new Shape(3, 16, 16), fromFile.getShape());
            assertArrayEquals(fromFile.toFloatArray(), fromBytes.toFloatArray());
            // left column red, right column blue, in RGB
            assertEquals(normalised(255, 0), fromFile.getFloat(0, 8, 0), TOLERANCE);
            assertEquals(normalised(255, 2), fromFile.getFloat(2, 8, 15), TOLERANCE);
        }
    }

    @Test
    void batchSkipsBadFilesAndKeepsOrder() throws Exception {
        Mat a = TestImages.blocks(new int[][][] {{{250, 0, 0}, {0, 250, 0}}}, 12);
        Mat b = TestImages.blocks(new int[][][] {{{0, 0, 250}}, {{128, 128, 128}}}, 12);
        Mat c = new Mat(30, 40, CvType.CV_8UC3, new Scalar(5, 120, 240));
        Path good1 = write(dir, "a.png", TestImages.encode(a, ".png"));
        Path empty = write(dir, "empty.jpg", new byte[0]);
        Path good2 = write(dir, "b.jpg", TestImages.jpeg(b));
        Path text = write(dir, "text.jpg", "not a picture".getBytes(StandardCharsets.UTF_8));
        Path good3 = write(dir, "c.bmp", TestImages.encode(c, ".bmp"));
        List<Path> files = List.of(good1, empty, good2, text, good3);
        ImagePreprocessor p = sized(8, 10);
        try (NDManager manager = NDManager.newBaseManager();
                PreprocessedBatch batch = p.batchSkippingFailures(files, manager)) {
            assertEquals(new Shape(3, 3, 8, 8), batch.images().getShape());
            assertEquals(List.of(good1, good2, good3), batch.accepted());
            assertEquals(2, batch.failures().size());
            ImageFailure first = batch.failures().get(0);
            ImageFailure second = batch.failures().get(1);
            assertEquals(empty, first.file());
            assertEquals(Kind.EMPTY, first.kind());
            assertEquals(empty + ": empty file (0 bytes)", first.message());
            assertEquals(text, second.file());
            assertEquals(text + ": not an image (no JPEG/PNG/BMP/WebP signature)", second.message());
            // row i is the i-th accepted file, as preprocessed alone
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(p.preprocess(batch.accepted().get(i), manager).toFloatArray(), batch.images().get(i).toFloatArray());
            }
        }
    }

    @Test
    void strictBatchStopsAtTheFirstBadFile() throws Exception {
        Path good = write(dir, "good.png", TestImages.encode(new Mat(4, 4, CvType.CV_8UC3, new Scalar(1, 2, 3)), ".png"));
        Path missing = dir.resolve("missing.png");
        ImagePreprocessor p = sized(4, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(new Shape(2, 3, 4, 4), p.batch(List.of(good, good), manager).getShape());
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> p.batch(List.of(good, missing, good), manager));
            assertEquals(missing + ": no such file", e.getMessage());
            // nothing usable, or nothing asked for: an empty batch of the right shape
            try (PreprocessedBatch none = p.batchSkippingFailures(List.of(missing), manager)) {
                assertEquals(new Shape(0, 3, 4, 4), none.images().getShape());
                assertEquals(1, none.failures().size());
            }
            assertEquals(new Shape(0, 3, 4, 4), p.batch(List.of(), manager).getShape());
        }
    }

    @Test
    void vgaJpegPreprocessesInMilliseconds() throws Exception {
        Mat image = new Mat(480, 640, CvType.CV_8UC3);
        Core.randu(image, 0, 256);
        Imgproc.GaussianBlur(image, image, new Size(9, 9), 3);
        Path file = write(dir, "vga.jpg", TestImages.encode(image, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        ImagePreprocessor p = ImagePreprocessor.builder().build();
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] times = new long[15];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                try (NDArray x = p.preprocess(file, manager)) {
                    assertEquals(new Shape(3, 224, 224), x.getShape());
                }
                times[i] = System.nanoTime() - start;
            }
            Arrays.sort(times);
            System.out.printf("640x480 JPEG -> (3, 224, 224): median %.2f ms, min %.2f ms (%d bytes)%n",
                    times[times.length / 2] / 1e6, times[0] / 1e6, Files.size(file));
        }
    }
}
