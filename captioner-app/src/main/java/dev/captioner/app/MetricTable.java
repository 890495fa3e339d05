package dev.captioner.app;

import java.util.Map;

/** A plain-text table of metric scores, one metric a row, as the CLI prints it. */
final class MetricTable {
    private MetricTable() {}

    static String render(Map<String, Double> scores) {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-8s  %8s%n", "metric", "score"));
        table.append(String.format("%-8s  %8s%n", "--------", "--------"));
        for (Map.Entry<String, Double> row : scores.entrySet()) {
            table.append(String.format("%-8s  %8.4f%n", row.getKey(), row.getValue()));
        }
        return table.toString().stripTrailing();
    }
}
