package dev.captioner.app;

import dev.captioner.decoder.train.CaptionTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * What a training run reports as it goes, as {@code train} and {@code compare} show it: every step and
 * validation in the {@link TrainingLog}, the progress bar moved to the step (with the epoch, the loss and
 * ε in its message), and one line of scores per validation on standard output.
 */
final class TrainingProgress implements CaptionTrainer.Listener {
    private final TrainingLog log;
    private final ProgressBar bar;
    private final PrintWriter stdout;
    private final String label;
    private final long barOffset;
    private double learningRate;
    private long lastValidated = -1;

    /** {@code learningRate}: the rate in force, until the first step reports one. */
    TrainingProgress(TrainingLog log, ProgressBar bar, PrintWriter stdout, double learningRate) {
        this(log, bar, stdout, learningRate, "", 0);
    }

    /**
     * @param label     put before each validation line and in the bar's message, e.g. {@code att-lstm seed 0}; may be empty
     * @param barOffset the bar's count before this run's first step (one bar over several runs)
     */
    TrainingProgress(TrainingLog log, ProgressBar bar, PrintWriter stdout, double learningRate, String label, long barOffset) {
        this.log = log;
        this.bar = bar;
        this.stdout = stdout;
        this.learningRate = learningRate;
        this.label = label;
        this.barOffset = barOffset;
    }

    @Override
    public void step(long step, int epoch, double loss, double teacherForcing, double learningRate) {
        this.learningRate = learningRate;
        try {
            log.step(step, epoch, loss, teacherForcing, learningRate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bar.stepTo(barOffset + step);
        bar.setExtraMessage(String.format("%s ep %d loss %.3f eps %.2f", label.isEmpty() ? "" : " " + label, epoch, loss, teacherForcing));
    }

    @Override
    public void validated(long step, int epoch, Map<String, Double> scores) {
        lastValidated = step;
        try {
            log.validation(step, epoch, learningRate, scores);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder line = new StringBuilder(label.isEmpty() ? "" : label + ", ").append("epoch ").append(epoch).append(", step ")
                .append(step).append(": validation");
        scores.forEach((metric, score) -> line.append(' ').append(metric).append(' ').append(TrainingLog.number(score)));
        stdout.println(line);
        stdout.flush();
    }

    /** The step of the last validation reported; -1 before the first. */
    long lastValidated() {
        return lastValidated;
    }
}
