package dev.captioner.pipeline.model;

import dev.captioner.encoder.image.ImageFailure;
import java.util.List;

/**
 * The captions of a batch of image files: one result per file that could be read, in input order, and
 * the files that could not, each with its one-line message.
 */
public record CaptionBatch(List<CaptionResult> results, List<ImageFailure> failures) {

    public CaptionBatch {
        results = List.copyOf(results);
        failures = List.copyOf(failures);
    }
}
