package dev.captioner.data.coco;

/** One entry of a COCO captions file's {@code annotations}. */
public record CocoCaption(long id, long imageId, String caption) {}
