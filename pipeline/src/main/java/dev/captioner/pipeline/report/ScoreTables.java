package dev.captioner.pipeline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Score tables made from runs: scores of every run of a model (one per seed) become one row of mean ±
 * standard deviation ({@link MeanStd}). Models are rows in the order their first run comes in; a run that
 * lacks a metric leaves it out of that cell's mean.
 */
public final class ScoreTables {
    private ScoreTables() {}

    /** Models × metrics on the whole test split; the columns are the metrics' display names ({@link MetricNames}). */
    public static ScoreTable overall(String title, List<RunScores> runs, List<String> metrics) {
        List<ScoreTable.Row> rows = new ArrayList<>();
        byModel(runs).forEach((model, modelRuns) -> {
            List<MeanStd> cells = new ArrayList<>();
            for (String metric : metrics) {
                cells.add(stat(modelRuns, run -> run.overall().get(metric)));
            }
            rows.add(new ScoreTable.Row(model, cells));
        });
        return new ScoreTable(title, "model", metrics.stream().map(MetricNames::display).toList(), rows);
    }

    /** Models × number of objects for one metric; the columns are {@code 1 object}, {@code 2 objects}, ... for every count any run has. */
    public static ScoreTable byObjectCount(String title, List<RunScores> runs, String metric) {
        TreeSet<Integer> counts = new TreeSet<>();
        for (RunScores run : runs) {
            counts.addAll(run.byObjectCount().keySet());
        }
        List<ScoreTable.Row> rows = new ArrayList<>();
        byModel(runs).forEach((model, modelRuns) -> {
            List<MeanStd> cells = new ArrayList<>();
            for (int count : counts) {
                cells.add(stat(modelRuns, run -> {
                    Map<String, Double> scores = run.byObjectCount().get(count);
                    return scores == null ? null : scores.get(metric);
                }));
            }
            rows.add(new ScoreTable.Row(model, cells));
        });
        return new ScoreTable(title, "model", counts.stream().map(c -> c + (c == 1 ? " object" : " objects")).toList(), rows);
    }

    /** The runs of each model, models in the order their first run comes. */
    static Map<String, List<RunScores>> byModel(List<RunScores> runs) {
        Map<String, List<RunScores>> models = new LinkedHashMap<>();
        for (RunScores run : runs) {
            models.computeIfAbsent(run.model(), m -> new ArrayList<>()).add(run);
        }
        return models;
    }

    private static MeanStd stat(List<RunScores> runs, java.util.function.Function<RunScores, Double> score) {
        List<Double> values = new ArrayList<>();
        for (RunScores run : runs) {
            Double v = score.apply(run);
            if (v != null) {
                values.add(v);
            }
        }
        return MeanStd.of(values);
    }
}
