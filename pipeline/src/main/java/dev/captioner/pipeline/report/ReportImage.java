package dev.captioner.pipeline.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A test image shown in an {@link HtmlReport}.
 *
 * @param id         the image's id; the models' captions are keyed by it
 * @param file       the image file; it is copied into the report
 * @param references its reference captions
 * @param note       shown beside its name, e.g. {@code 3 objects}; may be empty
 */
public record ReportImage(long id, Path file, List<String> references, String note) {
    public ReportImage {
        Objects.requireNonNull(file, "file");
        references = List.copyOf(references);
        note = note == null ? "" : note;
    }

    public ReportImage(long id, Path file, List<String> references) {
        this(id, file, references, "");
    }
}
