package dev.captioner.pipeline.report;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A chart shown in an {@link HtmlReport}: a PNG file (from {@link Charts}, or any other), copied into the report.
 *
 * @param title its caption in the report
 * @param png   the picture
 */
public record ReportChart(String title, Path png) {
    public ReportChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(png, "png");
    }
}
