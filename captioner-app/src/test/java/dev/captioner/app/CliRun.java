package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process exactly as {@code main} builds it, and keeps what it printed. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CaptionerCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The last line printed on standard output. */
    String lastLine() {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }

    /** The run failed with {@code exit} and one line on standard error that holds {@code expected}. */
    void assertOneLineError(int exit, String expected) {
        assertEquals(exit, this.exit, toString());
        assertEquals(1, err.strip().lines().count(), toString());
        assertTrue(err.contains(expected), err);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
