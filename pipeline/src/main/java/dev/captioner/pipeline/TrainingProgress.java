package dev.captioner.pipeline;

import dev.captioner.decoder.train.CaptionTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What a training run reports as it goes, as {@code train} and {@code compare} show it: every step and
 * validation in the {@link TrainingLog}, the progress task moved to the step (with the epoch, the loss and
 * ε beside it), and one note of scores per validation.
 */
public final class TrainingProgress implements CaptionTrainer.Listener {
    private final TrainingLog log;
    private final ProgressListener.Task bar;
    private final ProgressListener listener;
    private final String label;
    private final long barOffset;
    private double learningRate;
    private long lastValidated = -1;

    /** {@code learningRate}: the rate in force, until the first step reports one. */
    public TrainingProgress(TrainingLog log, ProgressListener.Task bar, ProgressListener listener, double learningRate) {
        this(log, bar, listener, learningRate, "", 0);
    }

    /**
     * @param label     put before each validation line and in the bar's message, e.g. {@code att-lstm seed 0}; may be empty
     * @param barOffset the bar's count before this run's first step (one bar over several runs)
     */
    public TrainingProgress(TrainingLog log, ProgressListener.Task bar, ProgressListener listener, double learningRate, String label,
            long barOffset) {
        this.log = log;
        this.bar = bar;
        this.listener = listener;
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
        bar.extra(String.format("%s ep %d loss %.3f eps %.2f", label.isEmpty() ? "" : " " + label, epoch, loss, teacherForcing));
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
        listener.note(line.toString());
    }

    /** The step of the last validation reported; -1 before the first. */
    public long lastValidated() {
        return lastValidated;
    }
}
