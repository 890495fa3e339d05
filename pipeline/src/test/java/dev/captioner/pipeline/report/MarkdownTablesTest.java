package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownTablesTest {
    static final List<String> METRICS = List.of("Bleu_4", "CIDEr");

    /** Two models, three seeds of one, two of the other; the second model's seed 2 has no CIDEr. */
    static List<RunScores> runs() {
        return List.of(
                run("att-lstm", 1, 0.30, 1.10, Map.of(1, 1.5, 2, 1.0)),
                run("plain-gru", 1, 0.20, 0.70, Map.of(1, 0.9, 2, 0.5)),
                run("att-lstm", 2, 0.32, 1.20, Map.of(1, 1.7, 2, 1.2)),
                new RunScores("plain-gru", 2, Map.of("Bleu_4", 0.22)),
                run("att-lstm", 3, 0.34, 1.30, Map.of(1, 1.6, 2, 1.1)));
    }

    static RunScores run(String model, long seed, double bleu4, double cider, Map<Integer, Double> ciderByCount) {
        TreeMap<Integer, Map<String, Double>> byCount = new TreeMap<>();
        ciderByCount.forEach((count, c) -> byCount.put(count, Map.of("CIDEr", c)));
        return new RunScores(model, seed, Map.of("Bleu_4", bleu4, "CIDEr", cider), byCount);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertEquals(new MeanStd(2, 1, 3), MeanStd.of(1, 2, 3));
        assertEquals(new MeanStd(5, 0, 1), MeanStd.of(5));
        assertEquals(new MeanStd(2, Math.sqrt(2), 2), MeanStd.of(1, Double.NaN, 3), "NaN is left out");
        MeanStd none = MeanStd.of();
        assertEquals(0, none.n());
        assertEquals("–", none.format(3));
        assertEquals("2.000 ± 1.000", MeanStd.of(1, 2, 3).format(3));
        assertEquals("5.00", MeanStd.of(5).format(2), "one run: no ±");
        assertEquals("0.000 ± 0.000", new MeanStd(-0.0001, 0, 2).format(3), "never -0.000");
        assertEquals("2.0 ± 1.4 (n=2)", MeanStd.of(1, 3).format(1, 3));
    }

    @Test
    void modelsByMetricsAsMarkdown() {
        ScoreTable table = ScoreTables.overall("Test split", runs(), METRICS);
        assertEquals(List.of("BLEU-4", "CIDEr-D"), table.columns());
        assertEquals(0.32, table.cell("att-lstm", "BLEU-4").mean(), 1e-12);
        assertEquals(0.02, table.cell("att-lstm", "BLEU-4").std(), 1e-12);
        assertEquals(1, table.cell("plain-gru", "CIDEr-D").n());
        String expected = String.join("\n",
                "### Test split",
                "",
                "| model | seeds | BLEU-4 | CIDEr-D |",
                "|---|---:|---:|---:|",
                "| att-lstm | 3 | 0.320 ± 0.020 | 1.200 ± 0.100 |",
                "| plain-gru | 2 | 0.210 ± 0.014 | 0.700 (n=1) |",
                "");
        assertEquals(expected, MarkdownTables.create().render(table));
    }

    @Test
    void byObjectCountOneColumnPerCount() {
        ScoreTable table = ScoreTables.byObjectCount("CIDEr-D by number of objects", runs(), "CIDEr");
        assertEquals(List.of("1 object", "2 objects"), table.columns());
        String expected = String.join("\n",
                "### CIDEr-D by number of objects",
                "",
                "| model | seeds | 1 object | 2 objects |",
                "|---|---:|---:|---:|",
                "| att-lstm | 3 | 1.60 ± 0.10 | 1.10 ± 0.10 |",
                "| plain-gru | 1 | 0.90 | 0.50 |",
                "");
        assertEquals(expected, MarkdownTables.withDecimals(2).render(table));
    }

    @Test
    void theSameBytesInAnyLocaleAndWrittenToAFile(@TempDir Path dir) throws IOException {
        List<ScoreTable> tables = List.of(ScoreTables.overall("Test split", runs(), METRICS),
                ScoreTables.byObjectCount("By objects", runs(), "CIDEr"));
        String root = MarkdownTables.create().render(tables);
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(root, MarkdownTables.create().render(tables));
        } finally {
            Locale.setDefault(saved);
        }
        assertTrue(root.contains("|\n\n### By objects\n"), "a blank line between tables:\n" + root);
        Path file = dir.resolve("results.md");
        MarkdownTables.create().write(file, tables);
        assertEquals(root, Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void labelsCannotBreakTheTable() {
        ScoreTable table = new ScoreTable("a|b", "model", List.of("x|y"),
                List.of(new ScoreTable.Row("lstm|gru\nnew", List.of(MeanStd.of(1, 1)))));
        String md = MarkdownTables.create().render(table);
        assertTrue(md.contains("| lstm\\|gru new | 2 | 1.000 ± 0.000 |"), md);
        assertTrue(md.contains("| model | seeds | x\\|y |"), md);
        assertThrows(IllegalArgumentException.class,
                () -> new ScoreTable("t", "model", List.of("a", "b"), List.of(new ScoreTable.Row("m", List.of(MeanStd.of(1))))));
    }
}
