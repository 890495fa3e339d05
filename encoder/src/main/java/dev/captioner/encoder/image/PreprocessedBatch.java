package dev.captioner.encoder.image;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.List;

/**
 * A batch made from the files that could be used, and why the others could not, both in input order.
 *
 * @param images   (B, 3, S, S) float32, B = {@code accepted.size()}; (0, 3, S, S) if none was accepted
 * @param accepted the files behind the images, row by row
 * @param failures the files left out, each with its one-line message
 */
public record PreprocessedBatch(NDArray images, List<Path> accepted, List<ImageFailure> failures) implements AutoCloseable {

    public PreprocessedBatch {
        accepted = List.copyOf(accepted);
        failures = List.copyOf(failures);
    }

    @Override
    public void close() {
        images.close();
    }
}
