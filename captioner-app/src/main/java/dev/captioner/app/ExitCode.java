package dev.captioner.app;

/** The CLI's exit codes, by name. */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** Bad data or a runtime failure: a missing or corrupt file, a model that does not fit. */
    public static final int DATA_ERROR = 1;
    /** The command line itself is wrong: an unknown flag, a missing or malformed argument. */
    public static final int USAGE = 2;

    private ExitCode() {}
}
