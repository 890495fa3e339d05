package dev.captioner.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares, so each one only parses, calls the library and prints: DJL's offline mode
 * turned on before anything touches DJL ({@link Offline}), the command's spec (its output, error stream
 * and parse result), usage errors as one line with exit code 2, and the exit codes by name
 * ({@link ExitCode}; {@link ErrorReporter} maps exceptions to them). A subcommand writes {@link #run()}.
 */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        Offline.enforce();
        return run();
    }

    /** The command's work, after offline mode is on; returns an {@link ExitCode}. */
    protected abstract int run() throws Exception;

    /** A usage error: one line, exit code {@link ExitCode#USAGE}. */
    ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
