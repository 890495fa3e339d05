package dev.captioner.data.coco;

/** One entry of a COCO file's {@code images}: width and height are 0 where the file does not give them. */
public record CocoImage(long id, String fileName, int width, int height) {}
