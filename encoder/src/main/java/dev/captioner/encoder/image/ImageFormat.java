package dev.captioner.encoder.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The encoded formats {@link ImageDecoder} reads, recognised by their leading bytes, never by file name. */
public enum ImageFormat {
    JPEG,
    PNG,
    BMP,
    WEBP;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** The format whose signature starts {@code bytes}, or empty if none does. */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, (byte) 'B', (byte) 'M')) {
            return Optional.of(BMP);
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /**
     * A name for a well-known image format that this decoder does not read (GIF, TIFF, HEIF/AVIF), so the
     * error can say "unsupported" rather than "not an image"; empty otherwise.
     */
    static Optional<String> sniffUnsupported(byte[] bytes) {
        if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
            return Optional.of("GIF");
        }
        if (startsWith(bytes, 0, (byte) 'I', (byte) 'I', (byte) 42, (byte) 0)
                || startsWith(bytes, 0, (byte) 'M', (byte) 'M', (byte) 0, (byte) 42)) {
            return Optional.of("TIFF");
        }
        if (startsWith(bytes, 4, ascii("ftyp"))) {
            return Optional.of("HEIF/AVIF");
        }
        return Optional.empty();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] bytes, int offset, byte... prefix) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
