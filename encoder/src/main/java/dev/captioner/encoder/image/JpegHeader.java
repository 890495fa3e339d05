package dev.captioner.encoder.image;

import dev.captioner.encoder.image.ImageDecodeException.Kind;

/**
 * Walks a JPEG's marker segments up to the first scan (SOS): the frame size from SOF, the orientation
 * from the first APP1 {@code Exif} segment. The file is complete if an end-of-image marker (FFD9)
 * follows the first scan; entropy-coded data escapes every FF byte, so FFD9 cannot occur there by chance,
 * and bytes after it (some cameras append data) are allowed.
 */
final class JpegHeader {
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP1 = 0xE1;
    private static final byte[] EXIF = {'E', 'x', 'i', 'f', 0, 0};

    private JpegHeader() {}

    static ImageHeader parse(byte[] b, String source) throws ImageDecodeException {
        int n = b.length;
        int pos = 2; // after SOI
        long width = -1;
        long height = -1;
        ExifOrientation orientation = null;
        while (true) {
            if (pos >= n || !Bytes.has(b, pos, 2)) {
                return cut(source, width, height, orientation, "truncated (the JPEG ends inside its header)");
            }
            if (b[pos] != (byte) 0xFF) {
                throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (no marker at byte " + pos + ")");
            }
            while (pos < n && b[pos] == (byte) 0xFF) {
                pos++; // fill bytes
            }
            if (pos >= n) {
                return cut(source, width, height, orientation, "truncated (the JPEG ends inside its header)");
            }
            int marker = Bytes.u8(b, pos++);
            if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a segment
            }
            if (marker == EOI) {
                throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (end-of-image marker before any scan data)");
            }
            if (!Bytes.has(b, pos, 2) || !Bytes.has(b, pos, Bytes.u16be(b, pos))) {
                return cut(source, width, height, orientation, "truncated (the JPEG ends inside a marker segment)");
            }
            int length = Bytes.u16be(b, pos);
            if (length < 2) {
                throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (marker segment of length " + length + ")");
            }
            int data = pos + 2;
            int dataLength = length - 2;
            if (isStartOfFrame(marker) && width < 0) {
                if (dataLength < 6) {
                    throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (short frame header)");
                }
                height = Bytes.u16be(b, data + 1);
                width = Bytes.u16be(b, data + 3);
            } else if (marker == APP1 && orientation == null && startsWith(b, data, dataLength, EXIF)) {
                orientation = ExifOrientation.fromTiff(b, data + EXIF.length, dataLength - EXIF.length);
            } else if (marker == SOS) {
                if (width < 0) {
                    throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (no frame header (SOF) before the scan data)");
                }
                String truncation = hasEndAfter(b, pos + length) ? null : "truncated (no JPEG end-of-image marker FFD9)";
                return header(source, width, height, orientation, truncation);
            }
            pos += length;
        }
    }

    /** A header for a file that ends early: the size if it was read, so the size limit still comes first. */
    private static ImageHeader cut(String source, long width, long height, ExifOrientation orientation, String why)
            throws ImageDecodeException {
        if (width < 0) {
            throw new ImageDecodeException(source, Kind.TRUNCATED, why);
        }
        return header(source, width, height, orientation, why);
    }

    private static ImageHeader header(String source, long width, long height, ExifOrientation orientation, String truncation)
            throws ImageDecodeException {
        if (height == 0) {
            throw new ImageDecodeException(source, Kind.UNSUPPORTED, "JPEG whose height is set later by a DNL marker is not supported");
        }
        if (width == 0) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt JPEG (frame width 0)");
        }
        return new ImageHeader(ImageFormat.JPEG, width, height, orientation == null ? ExifOrientation.NORMAL : orientation, truncation);
    }

    /** SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Whether FF D9 occurs at or after {@code from}; searched from the end, where it nearly always is. */
    private static boolean hasEndAfter(byte[] b, int from) {
        for (int i = b.length - 2; i >= from; i--) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) EOI) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
