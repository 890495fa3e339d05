package dev.captioner.pipeline.report;

import java.util.List;
import java.util.Objects;

/**
 * A table of scores over seeds, e.g. models × metrics: what {@link MarkdownTables} writes as markdown,
 * {@link HtmlReport} as HTML and {@link Charts#bars} as bars with error bars. Build one with
 * {@link ScoreTables} or by hand.
 *
 * @param title   a heading, e.g. {@code Test split}
 * @param corner  the heading of the row labels, e.g. {@code model}
 * @param columns the column headings, e.g. {@code BLEU-4}, {@code CIDEr-D}
 * @param rows    the rows, each with one cell per column
 */
public record ScoreTable(String title, String corner, List<String> columns, List<Row> rows) {

    /** One row: its label and a cell per column. */
    public record Row(String label, List<MeanStd> cells) {
        public Row {
            Objects.requireNonNull(label, "label");
            cells = List.copyOf(cells);
        }

        /** The most runs any cell of the row averages: the row's number of seeds. */
        public int seeds() {
            return cells.stream().mapToInt(MeanStd::n).max().orElse(0);
        }
    }

    public ScoreTable {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(corner, "corner");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (Row row : rows) {
            if (row.cells().size() != columns.size()) {
                throw new IllegalArgumentException("table \"" + title + "\": row \"" + row.label() + "\" has "
                        + row.cells().size() + " cells for " + columns.size() + " columns");
            }
        }
    }

    /** The cell of a row and column, by label and heading. */
    public MeanStd cell(String row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("table \"" + title + "\" has no column \"" + column + "\"; it has " + columns);
        }
        for (Row r : rows) {
            if (r.label().equals(row)) {
                return r.cells().get(c);
            }
        }
        throw new IllegalArgumentException("table \"" + title + "\" has no row \"" + row + "\"");
    }
}
