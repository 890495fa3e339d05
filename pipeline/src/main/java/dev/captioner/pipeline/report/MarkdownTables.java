package dev.captioner.pipeline.report;

import dev.captioner.data.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Score tables as GitHub-flavoured markdown, ready to paste into the docs. The same tables always give
 * the same bytes: fixed decimals (3 unless told), a dot for the decimal point, {@code mean ± std}, a
 * {@code seeds} column with each row's number of runs, and {@code (n=k)} after a cell that averages fewer
 * runs than its row. Numbers are right-aligned.
 *
 * <pre>
 * ### Test split
 *
 * | model | seeds | BLEU-4 | CIDEr-D |
 * |---|---:|---:|---:|
 * | att-lstm | 3 | 0.412 ± 0.013 | 1.204 ± 0.051 |
 * </pre>
 */
public final class MarkdownTables {
    private final int decimals;

    MarkdownTables(int decimals) {
        if (decimals < 0 || decimals > 9) {
            throw new IllegalArgumentException("decimals must be 0 to 9, got " + decimals);
        }
        this.decimals = decimals;
    }

    /** Three decimals. */
    public static MarkdownTables create() {
        return new MarkdownTables(3);
    }

    /** {@code decimals} decimals, 0 to 9. */
    public static MarkdownTables withDecimals(int decimals) {
        return new MarkdownTables(decimals);
    }

    /** One table, its title as a level-3 heading, ending with a newline. */
    public String render(ScoreTable table) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(escape(table.title())).append("\n\n");
        List<String> head = new ArrayList<>();
        head.add(escape(table.corner()));
        head.add("seeds");
        table.columns().forEach(c -> head.add(escape(c)));
        md.append("| ").append(String.join(" | ", head)).append(" |\n");
        md.append("|---|---:|").append("---:|".repeat(table.columns().size())).append('\n');
        for (ScoreTable.Row row : table.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(escape(row.label()));
            cells.add(String.valueOf(row.seeds()));
            for (MeanStd cell : row.cells()) {
                cells.add(cell.format(decimals, row.seeds()));
            }
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return md.toString();
    }

    /** Tables one after another, a blank line between them. */
    public String render(List<ScoreTable> tables) {
        List<String> parts = new ArrayList<>();
        for (ScoreTable table : tables) {
            parts.add(render(table));
        }
        return String.join("\n", parts);
    }

    /** Writes the tables to a file atomically, UTF-8. */
    public void write(Path file, List<ScoreTable> tables) throws IOException {
        AtomicFile.write(file, render(tables).getBytes(StandardCharsets.UTF_8));
    }

    /** Pipes and backslashes escaped, line breaks made spaces: one cell stays one cell. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\R", " ");
    }
}
