package dev.captioner.pipeline;

import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.metrics.CaptionEvaluation;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training log {@code training-log.csv}: one row per optimizer step ({@code kind} {@code train})
 * and one per validation ({@code kind} {@code val}), appended and flushed as training goes.
 *
 * <pre>
 * step,epoch,kind,loss,teacher_forcing,learning_rate,Bleu_1,Bleu_2,Bleu_3,Bleu_4,ROUGE_L,CIDEr
 * 1,1,train,7.61,1,0.0004,,,,,,
 * 120,1,val,,,0.0004,0.52,0.33,0.21,0.13,0.39,0.41
 * </pre>
 *
 * {@code step} counts optimizer steps from 1 (a validation row carries the step it follows), {@code epoch}
 * from 1; {@code loss} is the step's training loss (cross-entropy plus the attention regulariser),
 * {@code teacher_forcing} the scheduled-sampling probability ε of feeding the ground truth in force at
 * that step, {@code learning_rate} the rate the step used (for a validation row: the epoch's rate); the
 * metric columns, COCO's names, are filled on validation rows only (the validation images' captions, greedy or beam
 * search of the configuration's validation beam). Cells that do not apply are empty.
 *
 * <p>On {@code --resume} the rows written after the checkpoint (by a run that stopped before its next
 * checkpoint) are dropped before appending, so every step and every validation appears once.
 */
public final class TrainingLog implements Closeable {
    public static final String FILE = "training-log.csv";
    public static final String HEADER = "step,epoch,kind,loss,teacher_forcing,learning_rate," + String.join(",", CaptionEvaluation.METRICS);
    private static final int COLUMNS = 6 + CaptionEvaluation.METRICS.size();

    private final BufferedWriter out;

    private TrainingLog(BufferedWriter out) {
        this.out = out;
    }

    /** A new log holding the header only; replaces an old one. */
    public static TrainingLog create(Path file) throws IOException {
        AtomicFile.write(file, out -> out.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8)));
        return append(file);
    }

    /**
     * Continues the log of a run resumed from a checkpoint at {@code at}: keeps the training rows up to its
     * step and the validations of the epochs before its epoch (one cut short by the stop is validated again).
     */
    public static TrainingLog resume(Path file, Checkpoint.Progress at) throws IOException {
        if (!Files.exists(file)) {
            return create(file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new DataFormatException(file, 1, 1, "not a training log of this version (expected the header " + HEADER + ")");
        }
        List<String> kept = new ArrayList<>(lines.size());
        kept.add(HEADER);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != COLUMNS) {
                continue; // a row cut short by a crash
            }
            try {
                long step = Long.parseLong(cells[0]);
                int epoch = Integer.parseInt(cells[1]);
                boolean keep = cells[2].equals("train") ? step <= at.step() : epoch < at.epoch();
                if (keep) {
                    kept.add(lines.get(i));
                }
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, i + 1, 1, "not a row of a training log: " + lines.get(i));
            }
        }
        AtomicFile.write(file, out -> out.write((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)));
        return append(file);
    }

    private static TrainingLog append(Path file) throws IOException {
        return new TrainingLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /** A training step's row. */
    public void step(long step, int epoch, double loss, double teacherForcing, double learningRate) throws IOException {
        row(step + "," + epoch + ",train," + number(loss) + "," + number(teacherForcing) + "," + number(learningRate)
                + ",".repeat(CaptionEvaluation.METRICS.size()));
    }

    /** A validation's row: the scores by COCO's metric names (missing ones stay empty). */
    public void validation(long step, int epoch, double learningRate, Map<String, Double> scores) throws IOException {
        StringBuilder row = new StringBuilder().append(step).append(',').append(epoch).append(",val,,,").append(number(learningRate));
        for (String metric : CaptionEvaluation.METRICS) {
            Double score = scores.get(metric);
            row.append(',').append(score == null ? "" : number(score));
        }
        row(row.toString());
    }

    private void row(String row) throws IOException {
        out.write(row);
        out.write('\n');
        out.flush();
    }

    /** Seven significant digits without trailing zeros: {@code 0.0004}, {@code 3.214563}, {@code 120}, {@code 2.3E-9}. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(7)).stripTrailingZeros();
        return (rounded.scale() < 0 ? rounded.setScale(0) : rounded).toString();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
