package dev.captioner.pipeline.report;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A training run's history as {@code captioner train} logs it in {@code training-log.csv}: the loss of
 * every step and the validation scores of every epoch.
 *
 * <p>Columns are found by their names in the header, so a log with columns added later still reads;
 * {@code step}, {@code epoch}, {@code kind} and {@code loss} are required, every column after
 * {@code learning_rate} is a metric (COCO's names: {@code Bleu_1 .. CIDEr}). A last row cut short by a
 * crash (no line end) is ignored, as {@code train --resume} ignores it; any other malformed row is refused
 * with one line naming the file and line.
 *
 * @param losses      the training rows, in file order
 * @param validations the validation rows, in file order
 */
public record TrainingHistory(List<Loss> losses, List<Validation> validations) {
    /** The file {@code captioner train} writes in its output folder. */
    public static final String FILE = "training-log.csv";

    /** One optimizer step's training loss. */
    public record Loss(long step, int epoch, double loss) {}

    /** One validation: the step it follows, its epoch and the scores by metric name. */
    public record Validation(long step, int epoch, Map<String, Double> scores) {
        public Validation {
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    public TrainingHistory {
        losses = List.copyOf(losses);
        validations = List.copyOf(validations);
    }

    /** Reads a training log; a folder means the {@value #FILE} in it. */
    public static TrainingHistory read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            file = file.resolve(FILE);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new DataFormatException(file, 1, 1, "empty file (a training log starts with the header step,epoch,kind,loss,...)");
        }
        List<String> header = List.of(lines[0].strip().split(",", -1));
        int step = column(file, header, "step");
        int epoch = column(file, header, "epoch");
        int kind = column(file, header, "kind");
        int loss = column(file, header, "loss");
        int firstMetric = header.indexOf("learning_rate") + 1;
        if (firstMetric == 0) {
            firstMetric = Math.max(Math.max(step, epoch), Math.max(kind, loss)) + 1;
        }
        List<Loss> losses = new ArrayList<>();
        List<Validation> validations = new ArrayList<>();
        boolean endsWithNewline = text.endsWith("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            boolean last = i == lines.length - 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                if (last && !endsWithNewline) {
                    break; // cut short by a crash
                }
                throw new DataFormatException(file, i + 1, 1, cells.length + " cells, but the header has " + header.size());
            }
            long s = (long) number(file, i, cells, step, header);
            int e = (int) number(file, i, cells, epoch, header);
            switch (cells[kind]) {
                case "train" -> losses.add(new Loss(s, e, number(file, i, cells, loss, header)));
                case "val" -> {
                    Map<String, Double> scores = new LinkedHashMap<>();
                    for (int c = firstMetric; c < header.size(); c++) {
                        if (!cells[c].isEmpty()) {
                            scores.put(header.get(c), number(file, i, cells, c, header));
                        }
                    }
                    validations.add(new Validation(s, e, scores));
                }
                default -> throw new DataFormatException(file, i + 1, 1, "kind \"" + cells[kind] + "\" is neither train nor val");
            }
        }
        return new TrainingHistory(losses, validations);
    }

    /** The runs' mean loss at each step that any of them logged (over the runs that logged it), by step. */
    public static TreeMap<Long, Double> meanLoss(List<TrainingHistory> runs) {
        TreeMap<Long, double[]> sums = new TreeMap<>();
        for (TrainingHistory run : runs) {
            for (Loss l : run.losses) {
                if (Double.isFinite(l.loss())) {
                    double[] sum = sums.computeIfAbsent(l.step(), k -> new double[2]);
                    sum[0] += l.loss();
                    sum[1]++;
                }
            }
        }
        TreeMap<Long, Double> mean = new TreeMap<>();
        sums.forEach((step, sum) -> mean.put(step, sum[0] / sum[1]));
        return mean;
    }

    /** The runs' mean {@code metric} at each epoch that any of them validated (the last validation of an epoch counts), by epoch. */
    public static TreeMap<Integer, Double> meanValidation(List<TrainingHistory> runs, String metric) {
        return meanValidation(runs, metric, Validation::epoch);
    }

    /**
     * The runs' mean {@code metric} at each step that any of them validated at (over the runs that did; the
     * last validation at a step counts), by step.
     */
    public static TreeMap<Long, Double> meanValidationByStep(List<TrainingHistory> runs, String metric) {
        return meanValidation(runs, metric, Validation::step);
    }

    private static <K extends Comparable<K>> TreeMap<K, Double> meanValidation(List<TrainingHistory> runs, String metric,
            Function<Validation, K> key) {
        TreeMap<K, double[]> sums = new TreeMap<>();
        for (TrainingHistory run : runs) {
            Map<K, Double> last = new TreeMap<>();
            for (Validation v : run.validations) {
                Double score = v.scores().get(metric);
                if (score != null && Double.isFinite(score)) {
                    last.put(key.apply(v), score);
                }
            }
            last.forEach((k, score) -> {
                double[] sum = sums.computeIfAbsent(k, x -> new double[2]);
                sum[0] += score;
                sum[1]++;
            });
        }
        TreeMap<K, Double> mean = new TreeMap<>();
        sums.forEach((k, sum) -> mean.put(k, sum[0] / sum[1]));
        return mean;
    }

    private static int column(Path file, List<String> header, String name) throws DataFormatException {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new DataFormatException(file, 1, 1, "no column \"" + name + "\" in the header (not a training log of captioner train?)");
        }
        return c;
    }

    private static double number(Path file, int i, String[] cells, int c, List<String> header)
            throws DataFormatException {
        String cell = cells[c];
        switch (cell) {
            case "NaN": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default:
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            int column = 1;
            for (int k = 0; k < c; k++) {
                column += cells[k].length() + 1;
            }
            throw new DataFormatException(file, i + 1, column, header.get(c) + " \"" + cell + "\" is not a number");
        }
    }
}
