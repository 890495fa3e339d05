package dev.captioner.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * One line for a failure of the job. A failure inside a task reaches the driver wrapped in Spark's own
 * exceptions (a SparkException naming the stage and task, whose message holds the whole remote stack trace),
 * so the line is that of the innermost cause the project or Java threw: what went wrong, and where.
 */
final class JobErrors {
    private JobErrors() {}

    static String describe(Throwable e) {
        Throwable cause = innermost(e);
        if (cause instanceof NoSuchFileException) {
            return ((NoSuchFileException) cause).getFile() + ": no such file";
        }
        if (cause instanceof AccessDeniedException) {
            return ((AccessDeniedException) cause).getFile() + ": permission denied";
        }
        String message = cause.getMessage();
        if (cause instanceof IOException || cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            return message == null ? cause.getClass().getSimpleName() : oneLine(message);
        }
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + oneLine(message)) + " (run with --verbose for the stack trace)";
    }

    /** The deepest cause, passing over Spark's and Java's wrappers. */
    private static Throwable innermost(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof UncheckedIOException ? cause.getCause() : cause;
    }

    /** The first line of a message, blank runs folded: Spark's messages go on with stack traces. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().split("\\R", 2)[0];
        return first.replaceAll("\\s+", " ");
    }
}
