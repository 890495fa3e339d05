package dev.captioner.pipeline.report;

import dev.captioner.encoder.image.CropRegion;
import dev.captioner.pipeline.model.Caption;
import java.util.Objects;

/**
 * One model's caption of one image in an {@link HtmlReport}.
 *
 * @param caption the words and, for an attention model, one attention grid per word
 *                ({@code CaptionResult.best()} of the {@code Captioner})
 * @param crop    where the grids lie in the image ({@code ImagePreprocessor.cropRegion(width, height)});
 *                null for the whole image
 */
public record ReportCaption(Caption caption, CropRegion crop) {
    public ReportCaption {
        Objects.requireNonNull(caption, "caption");
        if (!caption.attention().isEmpty() && caption.attention().size() != caption.words().size()) {
            throw new IllegalArgumentException("a caption of " + caption.words().size() + " words has "
                    + caption.attention().size() + " attention grids; an attention caption has one per word");
        }
    }

    /** A caption whose grids cover the whole image, or a plain model's caption. */
    public ReportCaption(Caption caption) {
        this(caption, null);
    }

    /** True where the caption has attention grids. */
    public boolean attends() {
        return !caption.attention().isEmpty();
    }
}
