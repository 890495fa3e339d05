package dev.captioner.encoder.image;

import dev.captioner.encoder.image.ImageDecodeException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * Reads a WebP's first chunk: VP8 (lossy; 14-bit sizes in the key frame header), VP8L (lossless; 14-bit
 * sizes minus one after the 0x2F signature) or VP8X (extended; 24-bit canvas sizes minus one). The file is
 * complete if it holds the bytes the RIFF header promises. Animated WebP is refused; an EXIF orientation
 * is not applied, as OpenCV 4.9 does not apply it either.
 */
final class WebpHeader {
    private static final int FIRST_CHUNK = 12;
    private static final int PAYLOAD = FIRST_CHUNK + 8;
    private static final int ANIMATION_FLAG = 0x02;

    private WebpHeader() {}

    static ImageHeader parse(byte[] b, String source) throws ImageDecodeException {
        if (!Bytes.has(b, 0, PAYLOAD + 10)) {
            throw new ImageDecodeException(source, Kind.TRUNCATED, "truncated (the WebP ends inside its header)");
        }
        String chunk = new String(b, FIRST_CHUNK, 4, StandardCharsets.ISO_8859_1);
        long width;
        long height;
        switch (chunk) {
            case "VP8 " -> {
                if (Bytes.u8(b, PAYLOAD + 3) != 0x9D || Bytes.u8(b, PAYLOAD + 4) != 0x01 || Bytes.u8(b, PAYLOAD + 5) != 0x2A) {
                    throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt WebP (no VP8 start code)");
                }
                width = Bytes.u16le(b, PAYLOAD + 6) & 0x3FFF;
                height = Bytes.u16le(b, PAYLOAD + 8) & 0x3FFF;
            }
            case "VP8L" -> {
                if (Bytes.u8(b, PAYLOAD) != 0x2F) {
                    throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt WebP (no VP8L signature)");
                }
                long bits = Bytes.u32le(b, PAYLOAD + 1);
                width = (bits & 0x3FFF) + 1;
                height = ((bits >> 14) & 0x3FFF) + 1;
            }
            case "VP8X" -> {
                if ((Bytes.u8(b, PAYLOAD) & ANIMATION_FLAG) != 0) {
                    throw new ImageDecodeException(source, Kind.UNSUPPORTED, "animated WebP is not supported");
                }
                width = Bytes.u24le(b, PAYLOAD + 4) + 1L;
                height = Bytes.u24le(b, PAYLOAD + 7) + 1L;
            }
            default -> throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt WebP (first chunk \"" + chunk.strip() + "\")");
        }
        if (width == 0 || height == 0) {
            throw new ImageDecodeException(source, Kind.CORRUPT, "corrupt WebP (size " + width + "x" + height + ")");
        }
        long riffEnd = 8 + Bytes.u32le(b, 4);
        String truncation = b.length < riffEnd
                ? "truncated (the RIFF header says " + riffEnd + " bytes, the file has " + b.length + ")"
                : null;
        return new ImageHeader(ImageFormat.WEBP, width, height, ExifOrientation.NORMAL, truncation);
    }
}
