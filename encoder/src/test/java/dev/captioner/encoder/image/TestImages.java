package dev.captioner.encoder.image;

import dev.captioner.data.synth.OpenCvNative;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** Test images made in the test: OpenCV encodings, hand-written PNGs, EXIF inserted into JPEGs. */
final class TestImages {
    static {
        OpenCvNative.load();
    }

    private TestImages() {}

    /** An 8-bit BGR Mat from rows of RGB triples: {@code rgb[y][x] = {r, g, b}}. */
    static Mat bgr(int[][][] rgb) {
        int h = rgb.length;
        int w = rgb[0].length;
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        byte[] data = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * 3;
                data[at] = (byte) rgb[y][x][2];
                data[at + 1] = (byte) rgb[y][x][1];
                data[at + 2] = (byte) rgb[y][x][0];
            }
        }
        m.put(0, 0, data);
        return m;
    }

    /** An 8-bit BGR Mat of {@code w×h} blocks of {@code block} pixels, block (bx, by) coloured {@code rgb[by][bx]}. */
    static Mat blocks(int[][][] rgb, int block) {
        int h = rgb.length;
        int w = rgb[0].length;
        int[][][] pixels = new int[h * block][w * block][];
        for (int y = 0; y < h * block; y++) {
            for (int x = 0; x < w * block; x++) {
                pixels[y][x] = rgb[y / block][x / block];
            }
        }
        return bgr(pixels);
    }

    /** The RGB triple at (x, y) of an 8-bit RGB Mat. */
    static int[] rgbAt(Mat rgb, int x, int y) {
        byte[] p = new byte[3];
        rgb.get(y, x, p);
        return new int[] {p[0] & 0xFF, p[1] & 0xFF, p[2] & 0xFF};
    }

    /** OpenCV's encoding, {@code ext} like ".png", with imwrite parameters. */
    static byte[] encode(Mat image, String ext, int... params) {
        MatOfByte out = new MatOfByte();
        MatOfInt p = new MatOfInt(params);
        try {
            if (!Imgcodecs.imencode(ext, image, out, p)) {
                throw new IllegalStateException("cannot encode " + ext);
            }
            return out.toArray();
        } finally {
            out.release();
            p.release();
        }
    }

    /** A JPEG at quality 100 with 4:4:4 sampling, so flat colours come back within a level or two. */
    static byte[] jpeg(Mat image) {
        return encode(image, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 100,
                Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TIFF structure (EXIF's payload) whose IFD0 holds an unrelated tag, then Orientation. */
    static byte[] tiffWithOrientation(int orientation, boolean littleEndian) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 2);
        b.putShort((short) 0x010F).putShort((short) 2).putInt(4).put(new byte[] {'A', 'B', 'C', 0}); // Make
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** The JPEG with an APP1 Exif segment holding {@code tiff} inserted right after SOI. */
    static byte[] withExif(byte[] jpeg, byte[] tiff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    static byte[] withOrientation(byte[] jpeg, int orientation) {
        return withExif(jpeg, tiffWithOrientation(orientation, orientation % 2 == 0));
    }

    /** A PNG written by hand: IHDR, optional eXIf, PLTE and tRNS, one IDAT of {@code raw} (filter bytes included), IEND. */
    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] raw, byte[] plte, byte[] trns, byte[] exif) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(bitDepth);
            h.write(colourType);
            h.write(new byte[] {0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
            if (exif != null) {
                chunk(out, "eXIf", exif);
            }
            if (plte != null) {
                chunk(out, "PLTE", plte);
            }
            if (trns != null) {
                chunk(out, "tRNS", trns);
            }
            if (raw != null) {
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
                    d.write(raw);
                }
                chunk(out, "IDAT", z.toByteArray());
                chunk(out, "IEND", new byte[0]);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
