package dev.captioner.app;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of long commands: on standard error, with count, rate and ETA. When standard error is
 * not a terminal (a log file, CI, nohup) a redrawn bar would pile up in the file, so there it is a plain
 * line every {@value #LOG_INTERVAL_MS} ms instead.
 */
final class ProgressBars {
    static final long LOG_INTERVAL_MS = 10_000;

    private ProgressBars() {}

    /** Whether standard error is a terminal; {@code -Dcaptioner.progress=lines} forces plain lines. */
    static boolean terminal() {
        return System.console() != null && !"lines".equals(System.getProperty("captioner.progress"));
    }

    /** A bar for {@code total} units of work; close it when the work is done. */
    static ProgressBar start(String task, long total, String unit) {
        return start(task, total, 0, unit);
    }

    /** A bar for {@code total} units of which {@code before} were done earlier (a resumed run): rate and ETA count the rest. */
    static ProgressBar start(String task, long total, long before, String unit) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .startsFrom(before, Duration.ZERO)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal() ? 250 : (int) LOG_INTERVAL_MS)
                .setMaxRenderedLength(100)
                .setEtaFunction(state -> {
                    long done = state.getCurrent() - state.getStart();
                    if (done <= 0) {
                        return java.util.Optional.empty();
                    }
                    Duration elapsed = state.getElapsedAfterStart();
                    return java.util.Optional.of(elapsed.dividedBy(done).multipliedBy(state.getMax() - state.getCurrent()));
                })
                .setConsumer(terminal() ? new ConsoleProgressBarConsumer(System.err) : new DelegatingProgressBarConsumer(line -> {
                    System.err.println(line.stripTrailing());
                    System.err.flush();
                }, 100))
                .build();
    }
}
