package dev.captioner.encoder.image;

import dev.captioner.encoder.image.ImageDecodeException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * Walks a PNG's chunks by their lengths, without inflating anything: the size from IHDR, the
 * orientation from an {@code eXIf} chunk (OpenCV 4.9 applies it too), and IEND, without which the file
 * is cut short. CRCs are left to libpng.
 */
final class PngHeader {
    private static final int SIGNATURE = 8;
    private static final int IHDR_END = SIGNATURE + 8 + 13 + 4;

    private PngHeader() {}

    static ImageHeader parse(byte[] b, String source) throws ImageDecodeException {
        if (b.length < IHDR_END) {
            throw new ImageDecodeException(source, Kind.TRUNCATED, "truncated (the PNG ends inside its IHDR chunk)");
        }
        if (Bytes.u32be(b, SIGNATURE) != 13 || !type(b, SIGNATURE + 4).equals("IHDR")) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt PNG (it does not start with an IHDR chunk)");
        }
        long width = Bytes.u32be(b, 16);
        long height = Bytes.u32be(b, 20);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt PNG (IHDR size " + width + "x" + height + ")");
        }
        ExifOrientation orientation = ExifOrientation.NORMAL;
        String truncation = "truncated (no PNG IEND chunk)";
        long pos = IHDR_END;
        while (Bytes.has(b, pos, 8)) {
            long length = Bytes.u32be(b, (int) pos);
            if (!Bytes.has(b, pos, 12 + length)) {
                break; // the chunk runs past the end of the file
            }
            String type = type(b, (int) pos + 4);
            if (type.equals("eXIf")) {
                orientation = ExifOrientation.fromTiff(b, (int) pos + 8, (int) length);
            } else if (type.equals("IEND")) {
                truncation = null;
                break;
            }
            pos += 12 + length;
        }
        return new ImageHeader(ImageFormat.PNG, width, height, orientation, truncation);
    }

    private static String type(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }
}
