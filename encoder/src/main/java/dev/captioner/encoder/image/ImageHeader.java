package dev.captioner.encoder.image;

import dev.captioner.encoder.image.ImageDecodeException.Kind;

/**
 * What an encoded image's header says, read without decoding a pixel: the format, the stored size, the
 * EXIF orientation, and whether the file is cut short. This is what lets {@link ImageDecoder} refuse a
 * decompression bomb before OpenCV allocates it.
 *
 * <p>Where each comes from: JPEG, the SOF marker's size, the first APP1 {@code Exif} segment's
 * Orientation, and an end-of-image marker (FFD9) after the first scan; PNG, the IHDR chunk, an
 * {@code eXIf} chunk, and the IEND chunk; BMP, the info header, and the bytes its uncompressed pixel
 * rows need; WebP, the VP8, VP8L or VP8X chunk's size, and the RIFF size. WebP's EXIF orientation is
 * not read, as OpenCV 4.9 does not apply it either.
 *
 * @param format      the format found from the signature
 * @param width       stored width in pixels, before orientation (a header may claim up to 2³²−1)
 * @param height      stored height in pixels, before orientation
 * @param orientation {@link ExifOrientation#NORMAL} unless the file says otherwise (JPEG and PNG)
 * @param truncation  null for a complete file, else why it is cut short, e.g.
 *                    {@code "truncated (no PNG IEND chunk)"}
 */
public record ImageHeader(ImageFormat format, long width, long height, ExifOrientation orientation, String truncation) {

    /** Pixels stored, width × height. */
    public long pixels() {
        return width * height;
    }

    /** Whether the file holds the whole image. */
    public boolean isComplete() {
        return truncation == null;
    }

    /** Width as shown, after orientation. */
    public long shownWidth() {
        return orientation.swapsSides() ? height : width;
    }

    /** Height as shown, after orientation. */
    public long shownHeight() {
        return orientation.swapsSides() ? width : height;
    }

    /**
     * Reads the header of an encoded image.
     *
     * @param bytes  the whole file
     * @param source the file's path or name, for messages
     * @throws ImageDecodeException if there is no known signature, the format is not supported, or the
     *                              file ends or is malformed before the size is known
     */
    public static ImageHeader parse(byte[] bytes, String source) throws ImageDecodeException {
        ImageFormat format = ImageFormat.sniff(bytes).orElse(null);
        if (format == null) {
            String other = ImageFormat.sniffUnsupported(bytes).orElse(null);
            if (other != null) {
                throw new ImageDecodeException(source, Kind.UNSUPPORTED, other + " images are not supported (JPEG, PNG, BMP and WebP are)");
            }
            throw new ImageDecodeException(source, Kind.NOT_AN_IMAGE, "not an image (no JPEG/PNG/BMP/WebP signature)");
        }
        return switch (format) {
            case JPEG -> JpegHeader.parse(bytes, source);
            case PNG -> PngHeader.parse(bytes, source);
            case BMP -> BmpHeader.parse(bytes, source);
            case WEBP -> WebpHeader.parse(bytes, source);
        };
    }
}
