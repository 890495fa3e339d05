package dev.captioner.pipeline;

import java.util.Map;

/** A plain-text table of metric scores, one metric a row, as the CLI prints it. */
public final class MetricTable {
    private MetricTable() {}

    public static String render(Map<String, Double> scores) {
        int width = 8;
        for (String metric : scores.keySet()) {
            width = Math.max(width, metric.length());
        }
        String row = "%-" + width + "s  %8s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(row, "metric", "score"));
        table.append(String.format(row, "-".repeat(width), "--------"));
        for (Map.Entry<String, Double> score : scores.entrySet()) {
            table.append(String.format(row, score.getKey(), Double.isFinite(score.getValue())
                    ? String.format(java.util.Locale.ROOT, "%.4f", score.getValue()) : "–"));
        }
        return table.toString().stripTrailing();
    }
}
