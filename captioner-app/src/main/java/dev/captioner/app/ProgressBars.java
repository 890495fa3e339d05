package dev.captioner.app;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars of long commands: on standard error, with count, rate and ETA. */
final class ProgressBars {
    private ProgressBars() {}

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
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(100)
                .setEtaFunction(state -> {
                    long done = state.getCurrent() - state.getStart();
                    if (done <= 0) {
                        return java.util.Optional.empty();
                    }
                    Duration elapsed = state.getElapsedAfterStart();
                    return java.util.Optional.of(elapsed.dividedBy(done).multipliedBy(state.getMax() - state.getCurrent()));
                })
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }
}
