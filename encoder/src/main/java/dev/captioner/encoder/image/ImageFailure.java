package dev.captioner.encoder.image;

import java.nio.file.Path;

/**
 * An image left out of a batch.
 *
 * @param file    the file
 * @param kind    what went wrong
 * @param message one line naming the file and the problem, as {@link ImageDecodeException#getMessage()}
 */
public record ImageFailure(Path file, ImageDecodeException.Kind kind, String message) {

    static ImageFailure of(Path file, ImageDecodeException e) {
        return new ImageFailure(file, e.kind(), e.getMessage());
    }
}
