package dev.captioner.encoder.image;

import java.nio.file.Path;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * An image to caption or encode: a file, or an encoded image held in memory (an upload, a row of a
 * DataFrame) with a name that messages use. Either way {@link ImageDecoder} checks and decodes it.
 *
 * @param name  what messages call the image: the file's path, or the name given
 * @param file  the file, or null for an image held in memory
 * @param bytes the encoded image held in memory, or null for a file
 */
public record ImageInput(String name, Path file, byte[] bytes) {
    public ImageInput {
        Objects.requireNonNull(name, "name");
        if ((file == null) == (bytes == null)) {
            throw new IllegalArgumentException("an image input is a file or bytes, exactly one of them");
        }
    }

    /** A file. */
    public static ImageInput of(Path file) {
        return new ImageInput(file.toString(), file, null);
    }

    /** An encoded image (JPEG, PNG, BMP, WebP) held in memory; {@code name} is what messages call it. */
    public static ImageInput of(String name, byte[] bytes) {
        return new ImageInput(name, null, bytes);
    }

    /** Decodes the image into a new upright 8-bit RGB Mat; the caller releases it. */
    public Mat decode(ImageDecoder decoder) throws ImageDecodeException {
        return file != null ? decoder.decode(file) : decoder.decode(bytes, name);
    }

    @Override
    public String toString() {
        return file != null ? file.toString() : name + " (" + bytes.length + " bytes)";
    }
}
