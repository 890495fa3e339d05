package dev.captioner.app;

import dev.captioner.pipeline.ProgressListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/**
 * The library's progress as the command line shows it: tasks as progress bars on standard error (plain
 * lines every few seconds where standard error is not a terminal, {@link ProgressBars}), notes on
 * standard output, warnings on standard error after {@code captioner: }.
 */
final class ConsoleProgress implements ProgressListener {
    private final PrintWriter out;
    private final PrintWriter err;

    ConsoleProgress(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Task start(String task, long total, long done, String unit) {
        ProgressBar bar = ProgressBars.start(task, total, done, unit);
        return new Task() {
            @Override
            public void stepBy(long units) {
                bar.stepBy(units);
            }

            @Override
            public void stepTo(long units) {
                bar.stepTo(units);
            }

            @Override
            public void resize(long total) {
                bar.maxHint(total);
            }

            @Override
            public void extra(String message) {
                bar.setExtraMessage(message);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    @Override
    public void note(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void warn(String line) {
        err.println("captioner: " + line);
        err.flush();
    }
}
