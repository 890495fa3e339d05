package dev.captioner.encoder.image;

import static dev.captioner.encoder.image.TestImages.bytes;
import static dev.captioner.encoder.image.TestImages.rgbAt;
import static dev.captioner.encoder.image.TestImages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.encoder.image.ImageDecodeException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import dev.captioner.data.synth.OpenCvNative;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class ImageDecoderTest {
    @BeforeAll
    static void loadOpenCv() {
        OpenCvNative.load();
    }

    private static final int[] RED = {255, 0, 0};
    private static final int[] GREEN = {0, 255, 0};
    private static final int[] BLUE = {0, 0, 255};
    private static final int[] WHITE = {255, 255, 255};
    private static final int[] BLACK = {0, 0, 0};
    private static final int[] YELLOW = {255, 255, 0};

    private final ImageDecoder decoder = ImageDecoder.create();

    @TempDir
    Path dir;

    // ---- formats and colour conversions ----

    @Test
    void pngComesBackExactInRgbOrder() throws Exception {
        Mat bgr = TestImages.bgr(new int[][][] {{{10, 20, 30}, {200, 100, 50}}, {{1, 2, 3}, {255, 254, 253}}});
        Mat rgb = decodeFile("rgb.png", TestImages.encode(bgr, ".png"));
        assertEquals(CvType.CV_8UC3, rgb.type());
        assertEquals(2, rgb.cols());
        assertEquals(2, rgb.rows());
        assertArrayEquals(new int[] {10, 20, 30}, rgbAt(rgb, 0, 0));
        assertArrayEquals(new int[] {200, 100, 50}, rgbAt(rgb, 1, 0));
        assertArrayEquals(new int[] {1, 2, 3}, rgbAt(rgb, 0, 1));
        assertArrayEquals(new int[] {255, 254, 253}, rgbAt(rgb, 1, 1));
    }

    @Test
    void jpegDecodesToNearlyTheColoursWritten() throws Exception {
        Mat bgr = TestImages.blocks(new int[][][] {{RED, GREEN}, {BLUE, WHITE}}, 16);
        Mat rgb = decodeFile("blocks.jpg", TestImages.jpeg(bgr));
        assertNear(RED, rgbAt(rgb, 8, 8), 4);
        assertNear(GREEN, rgbAt(rgb, 24, 8), 4);
        assertNear(BLUE, rgbAt(rgb, 8, 24), 4);
        assertNear(WHITE, rgbAt(rgb, 24, 24), 4);
    }

    @Test
    void greyscalePngBecomesGreyRgb() throws Exception {
        Mat grey = new Mat(1, 3, CvType.CV_8UC1);
        grey.put(0, 0, bytes(0, 77, 255));
        Mat rgb = decodeFile("grey.png", TestImages.encode(grey, ".png"));
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(rgb, 0, 0));
        assertArrayEquals(new int[] {77, 77, 77}, rgbAt(rgb, 1, 0));
        assertArrayEquals(new int[] {255, 255, 255}, rgbAt(rgb, 2, 0));
    }

    @Test
    void sixteenBitPngIsDividedBy257() throws Exception {
        Mat grey16 = new Mat(1, 4, CvType.CV_16UC1);
        grey16.put(0, 0, new short[] {(short) 65535, (short) 25700, 0, 300});
        Mat rgb = decodeFile("grey16.png", TestImages.encode(grey16, ".png"));
        assertEquals(CvType.CV_8UC3, rgb.type());
        assertArrayEquals(new int[] {255, 255, 255}, rgbAt(rgb, 0, 0));
        assertArrayEquals(new int[] {100, 100, 100}, rgbAt(rgb, 1, 0));
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(rgb, 2, 0));
        assertArrayEquals(new int[] {1, 1, 1}, rgbAt(rgb, 3, 0)); // 300/257 = 1.17

        Mat bgr16 = new Mat(1, 1, CvType.CV_16UC3);
        bgr16.put(0, 0, new short[] {(short) (257 * 10), (short) (257 * 20), (short) (257 * 30)});
        assertArrayEquals(new int[] {30, 20, 10}, rgbAt(decodeFile("bgr16.png", TestImages.encode(bgr16, ".png")), 0, 0));
    }

    @Test
    void alphaIsCompositedOverWhite() throws Exception {
        Mat bgra = new Mat(1, 3, CvType.CV_8UC4);
        bgra.put(0, 0, bytes(0, 0, 255, 128, /**/ 10, 20, 30, 255, /**/ 10, 20, 30, 0));
        Mat rgb = decodeFile("rgba.png", TestImages.encode(bgra, ".png"));
        assertArrayEquals(new int[] {255, 127, 127}, rgbAt(rgb, 0, 0)); // 255 − 255·128/255
        assertArrayEquals(new int[] {30, 20, 10}, rgbAt(rgb, 1, 0)); // opaque
        assertArrayEquals(WHITE, rgbAt(rgb, 2, 0)); // transparent

        Mat bgra16 = new Mat(1, 1, CvType.CV_16UC4);
        bgra16.put(0, 0, new short[] {0, 0, (short) 65535, (short) (257 * 128)});
        assertArrayEquals(new int[] {255, 127, 127}, rgbAt(decodeFile("rgba16.png", TestImages.encode(bgra16, ".png")), 0, 0));
    }

    @Test
    void greyWithAlphaPngIsCompositedOverWhite() throws Exception {
        // colour type 4: (grey, alpha) pairs; one row, filter byte 0
        byte[] png = TestImages.png(2, 1, 8, 4, bytes(0, 10, 200, 20, 100), null, null, null);
        Mat rgb = decodeFile("grey-alpha.png", png);
        assertArrayEquals(new int[] {63, 63, 63}, rgbAt(rgb, 0, 0)); // 255 − 245·200/255 = 62.8
        assertArrayEquals(new int[] {163, 163, 163}, rgbAt(rgb, 1, 0)); // 255 − 235·100/255 = 162.8
    }

    @Test
    void palettePngIsExpanded() throws Exception {
        byte[] plte = bytes(255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255);
        Mat rgb = decodeFile("palette.png", TestImages.png(3, 1, 8, 3, bytes(0, 0, 1, 2), plte, null, null));
        assertArrayEquals(RED, rgbAt(rgb, 0, 0));
        assertArrayEquals(GREEN, rgbAt(rgb, 1, 0));
        assertArrayEquals(BLUE, rgbAt(rgb, 2, 0));

        // 2 bits per index: 0b00_01_10_00 → indices 0, 1, 2
        Mat packed = decodeFile("palette2.png", TestImages.png(3, 1, 2, 3, bytes(0, 0b0001_1000), plte, null, null));
        assertArrayEquals(RED, rgbAt(packed, 0, 0));
        assertArrayEquals(GREEN, rgbAt(packed, 1, 0));
        assertArrayEquals(BLUE, rgbAt(packed, 2, 0));

        // tRNS gives index 0 alpha 128: red over white
        Mat translucent = decodeFile("palette-trns.png", TestImages.png(3, 1, 8, 3, bytes(0, 0, 1, 2), plte, bytes(128), null));
        assertArrayEquals(new int[] {255, 127, 127}, rgbAt(translucent, 0, 0));
        assertArrayEquals(GREEN, rgbAt(translucent, 1, 0));
    }

    @Test
    void bmpColourAndGrey() throws Exception {
        Mat bgr = TestImages.bgr(new int[][][] {{{10, 20, 30}, {200, 100, 50}, {1, 2, 3}}});
        Mat rgb = decodeFile("colour.bmp", TestImages.encode(bgr, ".bmp"));
        assertArrayEquals(new int[] {10, 20, 30}, rgbAt(rgb, 0, 0));
        assertArrayEquals(new int[] {200, 100, 50}, rgbAt(rgb, 1, 0));
        assertArrayEquals(new int[] {1, 2, 3}, rgbAt(rgb, 2, 0));

        Mat grey = new Mat(2, 1, CvType.CV_8UC1);
        grey.put(0, 0, bytes(9, 250));
        Mat fromGrey = decodeFile("grey.bmp", TestImages.encode(grey, ".bmp"));
        assertArrayEquals(new int[] {9, 9, 9}, rgbAt(fromGrey, 0, 0));
        assertArrayEquals(new int[] {250, 250, 250}, rgbAt(fromGrey, 0, 1));
    }

    @Test
    void thisOpenCvBuildReadsWebp() throws Exception {
        assertTrue(ImageDecoder.webpBuiltIn(), "OpenCV 4.9.0-0 from org.openpnp is built with libwebp");
        Mat bgr = TestImages.blocks(new int[][][] {{RED, GREEN}, {BLUE, WHITE}}, 16);
        // quality above 100 means lossless in OpenCV
        Mat lossless = decodeFile("lossless.webp", TestImages.encode(bgr, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101));
        assertArrayEquals(RED, rgbAt(lossless, 0, 0));
        assertArrayEquals(GREEN, rgbAt(lossless, 31, 0));
        assertArrayEquals(BLUE, rgbAt(lossless, 0, 31));
        assertArrayEquals(WHITE, rgbAt(lossless, 31, 31));

        Mat lossy = decodeFile("lossy.webp", TestImages.encode(bgr, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 95));
        assertNear(RED, rgbAt(lossy, 8, 8), 12);
        assertNear(WHITE, rgbAt(lossy, 24, 24), 12);

        Mat bgra = new Mat(1, 1, CvType.CV_8UC4, new Scalar(0, 0, 255, 128));
        Mat translucent = decodeFile("alpha.webp", TestImages.encode(bgra, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101));
        assertArrayEquals(new int[] {255, 127, 127}, rgbAt(translucent, 0, 0));
    }

    @Test
    void inMemoryBytesAreNamedInMessages() throws Exception {
        Mat rgb = decoder.decode(TestImages.encode(TestImages.bgr(new int[][][] {{{1, 2, 3}}}), ".png"), "memory:one");
        assertArrayEquals(new int[] {1, 2, 3}, rgbAt(rgb, 0, 0));
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> decoder.decode("hello".getBytes(StandardCharsets.US_ASCII), "memory:two"));
        assertEquals("memory:two: not an image (no JPEG/PNG/BMP/WebP signature)", e.getMessage());
    }

    // ---- EXIF orientation ----

    /** 3×2 blocks of 16 pixels, every block a different colour. */
    private static final int[][][] GRID = {{RED, GREEN, BLUE}, {YELLOW, WHITE, BLACK}};

    @Test
    void everyExifOrientationIsAppliedAsOpenCvDoes() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.blocks(GRID, 16));
        for (int o = 1; o <= 8; o++) {
            byte[] jpeg = TestImages.withOrientation(plain, o);
            assertEquals(ExifOrientation.ofTag(o), ImageHeader.parse(jpeg, "x").orientation());
            Mat rgb = decodeFile("o" + o + ".jpg", jpeg);
            assertBlocks(shownGrid(GRID, o), rgb, "orientation " + o);
            // OpenCV's own IMREAD_COLOR applies the orientation; the pixels must match exactly
            Mat reference = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
            Imgproc.cvtColor(reference, reference, Imgproc.COLOR_BGR2RGB);
            assertSamePixels(reference, rgb, "orientation " + o);
        }
    }

    @Test
    void orientationsThreeSixAndEightByHand() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.blocks(GRID, 16));
        // 3: turned half round
        assertBlocks(new int[][][] {{BLACK, WHITE, YELLOW}, {BLUE, GREEN, RED}},
                decodeFile("o3.jpg", TestImages.withOrientation(plain, 3)), "3");
        // 6: turned a quarter clockwise, shown 2 blocks wide and 3 high
        assertBlocks(new int[][][] {{YELLOW, RED}, {WHITE, GREEN}, {BLACK, BLUE}},
                decodeFile("o6.jpg", TestImages.withOrientation(plain, 6)), "6");
        // 8: turned a quarter anticlockwise
        assertBlocks(new int[][][] {{BLUE, BLACK}, {GREEN, WHITE}, {RED, YELLOW}},
                decodeFile("o8.jpg", TestImages.withOrientation(plain, 8)), "8");
    }

    @Test
    void pngExifChunkIsAppliedAsOpenCvDoes() throws Exception {
        // 3×1 RGB: red, green, blue; orientation 6 shows it 1 wide and 3 high, red at the top
        byte[] raw = bytes(0, 255, 0, 0, 0, 255, 0, 0, 0, 255);
        byte[] png = TestImages.png(3, 1, 8, 2, raw, null, null, TestImages.tiffWithOrientation(6, false));
        Mat rgb = decodeFile("o6.png", png);
        assertEquals(1, rgb.cols());
        assertEquals(3, rgb.rows());
        assertArrayEquals(RED, rgbAt(rgb, 0, 0));
        assertArrayEquals(BLUE, rgbAt(rgb, 0, 2));
        Mat reference = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
        Imgproc.cvtColor(reference, reference, Imgproc.COLOR_BGR2RGB);
        assertSamePixels(reference, rgb, "png orientation 6");
    }

    @Test
    void brokenOrOutOfRangeExifIsIgnored() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.blocks(GRID, 16));
        byte[] garbage = TestImages.withExif(plain, bytes('X', 'X', 0, 42, 0, 0, 0, 8));
        byte[] offsetPastEnd = TestImages.withExif(plain, bytes('I', 'I', 42, 0, 0x7F, 0x7F, 0x7F, 0x7F));
        byte[] nine = TestImages.withOrientation(plain, 9);
        for (byte[] jpeg : new byte[][] {garbage, offsetPastEnd, nine}) {
            assertEquals(ExifOrientation.NORMAL, ImageHeader.parse(jpeg, "x").orientation());
            assertBlocks(GRID, decodeFile("ignored.jpg", jpeg), "ignored EXIF");
        }
    }

    // ---- bad files: one line each, naming the file ----

    @Test
    void zeroByteFile() throws Exception {
        Path file = write(dir, "empty.jpg", new byte[0]);
        assertFails(file, Kind.EMPTY, "empty file (0 bytes)");
    }

    @Test
    void missingFileAndDirectory() {
        assertFails(dir.resolve("nope.jpg"), Kind.MISSING, "no such file");
        assertFails(dir, Kind.UNREADABLE, "not a regular file");
    }

    @Test
    void textFileNamedJpg() throws Exception {
        Path file = write(dir, "notes.jpg", "just some text\nover two lines\n".getBytes(StandardCharsets.UTF_8));
        assertFails(file, Kind.NOT_AN_IMAGE, "not an image (no JPEG/PNG/BMP/WebP signature)");
        Path gif = write(dir, "anim.jpg", "GIF89a\1\0\1\0".getBytes(StandardCharsets.US_ASCII));
        assertFails(gif, Kind.UNSUPPORTED, "GIF images are not supported (JPEG, PNG, BMP and WebP are)");
    }

    @Test
    void truncatedJpeg() throws Exception {
        Mat noise = new Mat(96, 128, CvType.CV_8UC3);
        Core.randu(noise, 0, 256);
        byte[] big = TestImages.jpeg(noise); // mostly scan data, so half of it ends inside the scan
        assertFails(write(dir, "half.jpg", Arrays.copyOf(big, big.length / 2)), Kind.TRUNCATED, "truncated (no JPEG end-of-image marker FFD9)");
        byte[] jpeg = TestImages.jpeg(TestImages.blocks(GRID, 16));
        byte[] noEnd = Arrays.copyOf(jpeg, jpeg.length - 2);
        // OpenCV itself decodes this one into an image, with grey where data is missing
        assertFalse(Imgcodecs.imdecode(new MatOfByte(noEnd), Imgcodecs.IMREAD_UNCHANGED).empty());
        assertFails(write(dir, "no-eoi.jpg", noEnd), Kind.TRUNCATED, "truncated (no JPEG end-of-image marker FFD9)");
        assertFails(write(dir, "header.jpg", Arrays.copyOf(jpeg, 30)), Kind.TRUNCATED, "truncated (the JPEG ends inside a marker segment)");
        // trailing bytes after the end-of-image marker are allowed
        byte[] trailing = Arrays.copyOf(jpeg, jpeg.length + 5);
        assertBlocks(GRID, decodeFile("trailing.jpg", trailing), "trailing bytes");
    }

    @Test
    void truncatedPng() throws Exception {
        byte[] png = TestImages.encode(TestImages.blocks(GRID, 16), ".png");
        assertFails(write(dir, "half.png", Arrays.copyOf(png, png.length / 2)), Kind.TRUNCATED, "truncated (no PNG IEND chunk)");
        assertFails(write(dir, "no-iend.png", Arrays.copyOf(png, png.length - 12)), Kind.TRUNCATED, "truncated (no PNG IEND chunk)");
        assertFails(write(dir, "tiny.png", Arrays.copyOf(png, 20)), Kind.TRUNCATED, "truncated (the PNG ends inside its IHDR chunk)");
    }

    @Test
    void truncatedBmpAndWebp() throws Exception {
        byte[] bmp = TestImages.encode(TestImages.blocks(GRID, 16), ".bmp");
        assertFails(write(dir, "half.bmp", Arrays.copyOf(bmp, bmp.length / 2)), Kind.TRUNCATED,
                "truncated (the BMP pixel rows need " + bmp.length + " bytes, the file has " + bmp.length / 2 + ")");
        byte[] webp = TestImages.encode(TestImages.blocks(GRID, 16), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 90);
        assertFails(write(dir, "half.webp", Arrays.copyOf(webp, webp.length / 2)), Kind.TRUNCATED,
                "truncated (the RIFF header says " + webp.length + " bytes, the file has " + webp.length / 2 + ")");
    }

    @Test
    void corruptPngData() throws Exception {
        byte[] png = TestImages.encode(TestImages.blocks(GRID, 16), ".png");
        int idat = new String(png, StandardCharsets.ISO_8859_1).indexOf("IDAT");
        Arrays.fill(png, idat + 4, idat + 24, (byte) 0x55);
        assertFails(write(dir, "scrambled.png", png), Kind.CORRUPT, "corrupt PNG (OpenCV could not decode it)");
    }

    @Test
    void headersClaimingHugeImagesAreRefusedBeforeDecoding() throws Exception {
        String limits = "limits 50.0 MP and 65535 pixels a side)";
        // Headers alone, with no pixel data at all: only the header can have been read.
        byte[] png = TestImages.png(100_000, 100_000, 8, 2, null, null, null, null);
        assertFails(write(dir, "huge.png", png), Kind.TOO_LARGE, "image too large (100000x100000 = 10000.0 MP; " + limits);

        byte[] jpeg = bytes(0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0xFF, 0xFF, 0xFF, 0xFF, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
        assertFails(write(dir, "huge.jpg", jpeg), Kind.TOO_LARGE, "image too large (65535x65535 = 4294.8 MP; " + limits);

        ByteBuffer bmp = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
        bmp.putInt(40).putInt(100_000).putInt(100_000).putShort((short) 1).putShort((short) 24).putInt(0);
        assertFails(write(dir, "huge.bmp", bmp.array()), Kind.TOO_LARGE, "image too large (100000x100000 = 10000.0 MP; " + limits);

        byte[] webp = bytes('R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                0, 0, 0, 0, 0xFF, 0x3F, 0, 0xFF, 0x3F, 0);
        assertFails(write(dir, "huge.webp", webp), Kind.TOO_LARGE, "image too large (16384x16384 = 268.4 MP; " + limits);

        // Few pixels, but a side too long to be sane.
        byte[] strip = TestImages.png(70_000, 1, 8, 0, null, null, null, null);
        assertFails(write(dir, "strip.png", strip), Kind.TOO_LARGE, "image too large (70000x1 = 0.1 MP; " + limits);
    }

    @Test
    void realDecompressionBombIsRefusedFromItsHeader() throws Exception {
        // 10000×10000 1-bit grey, all zero: 12.5 MB inflated, a few kB on disk, 300 MB once decoded to RGB
        int side = 10_000;
        byte[] raw = new byte[side * (1 + side / 8)];
        byte[] bomb = TestImages.png(side, side, 1, 0, raw, null, null, null);
        assertTrue(bomb.length < 100_000, "the bomb is small on disk: " + bomb.length);
        Path file = write(dir, "bomb.png", bomb);
        assertFails(file, Kind.TOO_LARGE, "image too large (10000x10000 = 100.0 MP; limits 50.0 MP and 65535 pixels a side)");
        // with a higher limit the header passes: the limit, not a malformed file, refused it
        ImageDecoder generous = ImageDecoder.builder().optMaxPixels(100_000_000L).build();
        assertEquals(100_000_000L, generous.readHeader(file).pixels());
    }

    @Test
    void fileSizeLimitIsCheckedBeforeReading() throws Exception {
        byte[] png = TestImages.encode(TestImages.blocks(GRID, 16), ".png");
        Path file = write(dir, "big.png", png);
        ImageDecoder strict = ImageDecoder.builder().optMaxFileBytes(100).build();
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> strict.decode(file));
        assertEquals(Kind.TOO_LARGE, e.kind());
        assertEquals(file + ": file too large (" + png.length + " bytes, limit 100)", e.getMessage());
    }

    @Test
    void headersGiveTheStoredSize() throws Exception {
        Mat image = TestImages.blocks(GRID, 16); // 48×32
        for (String ext : new String[] {".jpg", ".png", ".bmp", ".webp"}) {
            ImageHeader header = ImageHeader.parse(TestImages.encode(image, ext), ext);
            assertEquals(48, header.width(), ext);
            assertEquals(32, header.height(), ext);
            assertTrue(header.isComplete(), ext);
        }
        ImageHeader lossy = ImageHeader.parse(TestImages.encode(image, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80), "lossy");
        assertEquals(48, lossy.width());
        assertEquals(32, lossy.height());
        ImageHeader rotated = ImageHeader.parse(TestImages.withOrientation(TestImages.jpeg(image), 6), "o6");
        assertEquals(32, rotated.shownWidth());
        assertEquals(48, rotated.shownHeight());
    }

    // ---- helpers ----

    private Mat decodeFile(String name, byte[] bytes) throws ImageDecodeException {
        return decoder.decode(write(dir, name, bytes));
    }

    private void assertFails(Path file, Kind kind, String problem) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(file));
        assertEquals(file + ": " + problem, e.getMessage());
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(file.toString(), e.source());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    /** The block grid as shown under orientation {@code o}, from the table in {@link ExifOrientation}. */
    private static int[][][] shownGrid(int[][][] stored, int o) {
        int h = stored.length;
        int w = stored[0].length;
        boolean swap = o >= 5;
        int shownW = swap ? h : w;
        int shownH = swap ? w : h;
        int[][][] shown = new int[shownH][shownW][];
        for (int y = 0; y < shownH; y++) {
            for (int x = 0; x < shownW; x++) {
                int[] s = switch (o) {
                    case 1 -> new int[] {x, y};
                    case 2 -> new int[] {w - 1 - x, y};
                    case 3 -> new int[] {w - 1 - x, h - 1 - y};
                    case 4 -> new int[] {x, h - 1 - y};
                    case 5 -> new int[] {y, x};
                    case 6 -> new int[] {y, h - 1 - x};
                    case 7 -> new int[] {w - 1 - y, h - 1 - x};
                    case 8 -> new int[] {w - 1 - y, x};
                    default -> throw new AssertionError(o);
                };
                shown[y][x] = stored[s[1]][s[0]];
            }
        }
        return shown;
    }

    private static void assertBlocks(int[][][] expected, Mat rgb, String what) {
        assertEquals(expected[0].length * 16, rgb.cols(), what + ": width");
        assertEquals(expected.length * 16, rgb.rows(), what + ": height");
        for (int by = 0; by < expected.length; by++) {
            for (int bx = 0; bx < expected[0].length; bx++) {
                assertNear(expected[by][bx], rgbAt(rgb, bx * 16 + 8, by * 16 + 8), 6);
            }
        }
    }

    private static void assertSamePixels(Mat expected, Mat actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        byte[] a = new byte[(int) (expected.total() * 3)];
        byte[] b = new byte[a.length];
        expected.get(0, 0, a);
        actual.get(0, 0, b);
        assertArrayEquals(a, b, what);
    }

    private static void assertNear(int[] expected, int[] actual, int tolerance) {
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance,
                    "expected " + Arrays.toString(expected) + " ± " + tolerance + ", got " + Arrays.toString(actual));
        }
    }
}
