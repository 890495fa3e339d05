package dev.captioner.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be used as it is: malformed JSON, a missing field, a wrong type, an image
 * without captions, an empty caption, bytes that are not UTF-8. The message is one line that names the
 * file, the place (line and column where known) and the problem, so the CLI can print it as it is.
 */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final long column;

    /** A problem at a known place; {@code line} and {@code column} are 1-based, or 0 where unknown. */
    public DataFormatException(Path file, long line, long column, String problem) {
        super(format(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** A problem with the file as a whole, or with a record whose place was not kept. */
    public DataFormatException(Path file, String problem) {
        this(file, 0, 0, problem);
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the problem, 0 where unknown. */
    public long line() {
        return line;
    }

    /** 1-based column of the problem, 0 where unknown. */
    public long column() {
        return column;
    }

    private static String format(Path file, long line, long column, String problem) {
        StringBuilder where = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            where.append(':').append(line);
            if (column > 0) {
                where.append(':').append(column);
            }
        }
        return where + ": " + problem;
    }
}
