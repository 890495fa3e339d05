package dev.captioner.encoder.image;

import java.nio.file.Path;

/**
 * An image left out of a batch.
 *
 * @param file    the file, or null for an image held in memory ({@link ImageInput#of(String, byte[])})
 * @param kind    what went wrong
 * @param message one line naming the file and the problem, as {@link ImageDecodeException#getMessage()}
 */
public record ImageFailure(Path file, ImageDecodeException.Kind kind, String message) {

    static ImageFailure of(Path file, ImageDecodeException e) {
        return new ImageFailure(file, e.kind(), e.getMessage());
    }

    static ImageFailure of(ImageInput input, ImageDecodeException e) {
        return new ImageFailure(input.file(), e.kind(), e.getMessage());
    }
}
