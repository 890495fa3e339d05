package dev.captioner.data.coco;

/** One generated caption of a COCO results file: {@code {"image_id": ..., "caption": ...}}. */
public record CocoResult(long imageId, String caption) {}
