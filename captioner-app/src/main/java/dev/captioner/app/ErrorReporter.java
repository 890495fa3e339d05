package dev.captioner.app;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns every failure into one line on standard error and an exit code: usage mistakes exit with
 * {@link ExitCode#USAGE}, bad data and runtime failures with {@link ExitCode#DATA_ERROR}. The stack
 * trace is printed only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage();
        // Picocli checks required options before it reports unknown ones; the unknown flag is the real mistake.
        List<String> unmatched = cmd.getUnmatchedArguments();
        if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            String first = unmatched.get(0);
            message = (first.startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + first + "'";
        }
        err.println("captioner: " + oneLine(message) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (verbose(cmd)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof ParameterException) {
            return handleParseException((ParameterException) e, new String[0]);
        }
        err.println("captioner: " + describe(e));
        if (verbose(cmd)) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCodeOf(e);
    }

    static int exitCodeOf(Throwable e) {
        return e instanceof ParameterException ? ExitCode.USAGE : ExitCode.DATA_ERROR;
    }

    /** One line that says what went wrong and where, for errors a user can cause. */
    static String describe(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        if (cause instanceof DataFormatException) {
            return oneLine(cause.getMessage());
        }
        if (cause instanceof NoSuchFileException) {
            return ((NoSuchFileException) cause).getFile() + ": no such file";
        }
        if (cause instanceof AccessDeniedException) {
            return ((AccessDeniedException) cause).getFile() + ": permission denied";
        }
        if (cause instanceof IOException || cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            String message = cause.getMessage();
            return message == null ? cause.getClass().getSimpleName() : oneLine(message);
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + oneLine(message))
                + " (run with --verbose for the stack trace)";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Object command = root.getCommand();
        return command instanceof CaptionerCli && ((CaptionerCli) command).verbose;
    }
}
