package dev.captioner.encoder.image;

import java.io.IOException;

/**
 * An image that cannot be used: missing, empty, not an image, too large, cut short, or undecodable. The
 * message is one line, {@code "SOURCE: problem"}, where the source is the file's path (or the name given
 * with in-memory bytes), so the CLI can print it as it is and a batch can report it and go on.
 */
public class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that act on the kind rather than the words. */
    public enum Kind {
        /** No file at that path. */
        MISSING,
        /** The file exists but cannot be read: a directory, no permission, an I/O error. */
        UNREADABLE,
        /** Zero bytes. */
        EMPTY,
        /** Over the pixel, side or file-size limit; found from the header, before any pixel is decoded. */
        TOO_LARGE,
        /** No JPEG, PNG, BMP or WebP signature. */
        NOT_AN_IMAGE,
        /** A known format or variant this decoder does not read (GIF, TIFF, animated WebP, ...). */
        UNSUPPORTED,
        /** The file ends before the image does. */
        TRUNCATED,
        /** The header or the data is malformed, or OpenCV could not decode it. */
        CORRUPT
    }

    private final String source;
    private final Kind kind;
    private final String problem;

    public ImageDecodeException(String source, Kind kind, String problem) {
        super(oneLine(source) + ": " + oneLine(problem));
        this.source = source;
        this.kind = kind;
        this.problem = oneLine(problem);
    }

    /** The file's path, or the name given with in-memory bytes. */
    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the source. */
    public String problem() {
        return problem;
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
