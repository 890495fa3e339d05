package dev.captioner.encoder.image;

import dev.captioner.encoder.image.ImageDecodeException.Kind;

/**
 * Reads a BMP's file and info headers: the size (a negative height means rows stored top-down), the bits
 * per pixel and the compression. For uncompressed rows (BI_RGB, BI_BITFIELDS) the file must hold every
 * row, each padded to 4 bytes; run-length encoded files are left to OpenCV.
 */
final class BmpHeader {
    private static final int FILE_HEADER = 14;
    private static final int CORE_HEADER = 12;
    private static final int INFO_HEADER = 40;

    private BmpHeader() {}

    static ImageHeader parse(byte[] b, String source) throws ImageDecodeException {
        if (!Bytes.has(b, 0, FILE_HEADER + CORE_HEADER)) {
            throw truncated(source);
        }
        long pixelOffset = Bytes.u32le(b, 10);
        long infoSize = Bytes.u32le(b, FILE_HEADER);
        long width;
        long height;
        int bitsPerPixel;
        long compression;
        if (infoSize == CORE_HEADER) {
            width = Bytes.u16le(b, 18);
            height = Bytes.u16le(b, 20);
            bitsPerPixel = Bytes.u16le(b, 24);
            compression = 0;
        } else if (infoSize >= INFO_HEADER) {
            if (!Bytes.has(b, 0, FILE_HEADER + INFO_HEADER)) {
                throw truncated(source);
            }
            width = Bytes.s32le(b, 18);
            height = Math.abs((long) Bytes.s32le(b, 22));
            bitsPerPixel = Bytes.u16le(b, 28);
            compression = Bytes.u32le(b, 30);
        } else {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt BMP (info header of " + infoSize + " bytes)");
        }
        if (width <= 0 || height == 0) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt BMP (size " + width + "x" + height + ")");
        }
        if (bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 24 && bitsPerPixel != 32) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt BMP (" + bitsPerPixel + " bits per pixel)");
        }
        String truncation = null;
        boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
        if (uncompressed) {
            long stride = (width * bitsPerPixel + 31) / 32 * 4;
            long needed = pixelOffset + stride * height;
            if (b.length < needed) {
                truncation = "truncated (the BMP pixel rows need " + needed + " bytes, the file has " + b.length + ")";
            }
        }
        return new ImageHeader(ImageFormat.BMP, width, height, ExifOrientation.NORMAL, truncation);
    }

    private static ImageDecodeException truncated(String source) {
        return new ImageDecodeException(source, Kind.TRUNCATED, "truncated (the BMP ends inside its header)");
    }
}
