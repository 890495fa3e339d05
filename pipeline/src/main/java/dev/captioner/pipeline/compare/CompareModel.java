package dev.captioner.pipeline.compare;

import dev.captioner.decoder.cell.CellType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One model of the comparison's grid: a recurrent cell, with or without soft attention, and how it is fed
 * during training. The grid is {plain, attention} × {LSTM, GRU} with teacher forcing, plus the attention
 * LSTM with scheduled sampling (inverse sigmoid) and with always sampling.
 *
 * @param name      its name in tables, charts and folders, e.g. {@code att-lstm-ss}
 * @param cell      the recurrent cell
 * @param attention soft attention over the grid (Show, Attend and Tell), or the plain decoder (Show and Tell)
 * @param feeding   how the previous word is fed while training
 */
public record CompareModel(String name, CellType cell, boolean attention, Feeding feeding) {

    /** How training feeds the previous word. */
    public enum Feeding {
        /** Always the ground truth (ε = 1). */
        TEACHER_FORCING,
        /** The comparison's scheduled-sampling spec, by default an inverse sigmoid decay sized to the run. */
        SCHEDULED_SAMPLING,
        /** Always the model's own word after {@code <start>} (ε = 0). */
        ALWAYS_SAMPLE
    }

    /** The six models, in the order tables and charts show them. */
    public static final List<CompareModel> GRID = List.of(
            new CompareModel("plain-lstm", CellType.LSTM, false, Feeding.TEACHER_FORCING),
            new CompareModel("plain-gru", CellType.GRU, false, Feeding.TEACHER_FORCING),
            new CompareModel("att-lstm", CellType.LSTM, true, Feeding.TEACHER_FORCING),
            new CompareModel("att-gru", CellType.GRU, true, Feeding.TEACHER_FORCING),
            new CompareModel("att-lstm-ss", CellType.LSTM, true, Feeding.SCHEDULED_SAMPLING),
            new CompareModel("att-lstm-always", CellType.LSTM, true, Feeding.ALWAYS_SAMPLE));

    /**
     * The models a comma-separated list names, in its order ({@code att-lstm,plain-lstm}); {@code all} or
     * null is the whole grid.
     *
     * @throws IllegalArgumentException with one line naming an unknown or repeated model and the known ones
     */
    public static List<CompareModel> parse(String list) {
        if (list == null || list.strip().equalsIgnoreCase("all")) {
            return GRID;
        }
        Set<CompareModel> chosen = new LinkedHashSet<>();
        for (String part : list.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            CompareModel model = GRID.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown model '" + part.strip() + "'; the models are " + names() + " (or all)"));
            if (!chosen.add(model)) {
                throw new IllegalArgumentException("model '" + name + "' is named twice");
            }
        }
        return List.copyOf(chosen);
    }

    /** The grid's names, comma-separated. */
    public static String names() {
        List<String> names = new ArrayList<>();
        GRID.forEach(m -> names.add(m.name()));
        return String.join(", ", names);
    }

    /**
     * The scheduled-sampling spec this model trains with ({@code ScheduledSampling.parse} reads it).
     *
     * @param scheduled the comparison's spec for {@link Feeding#SCHEDULED_SAMPLING}
     */
    public String schedule(String scheduled) {
        return switch (feeding) {
            case TEACHER_FORCING -> "teacher-forcing";
            case SCHEDULED_SAMPLING -> scheduled;
            case ALWAYS_SAMPLE -> "always-sample";
        };
    }
}
