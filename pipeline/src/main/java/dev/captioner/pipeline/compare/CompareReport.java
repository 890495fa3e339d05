package dev.captioner.pipeline.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.captioner.data.AtomicFile;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.pipeline.report.Charts;
import dev.captioner.pipeline.report.HtmlReport;
import dev.captioner.pipeline.report.MarkdownTables;
import dev.captioner.pipeline.report.MetricNames;
import dev.captioner.pipeline.report.ReportCaption;
import dev.captioner.pipeline.report.ReportImage;
import dev.captioner.pipeline.report.RunScores;
import dev.captioner.pipeline.report.ScoreTable;
import dev.captioner.pipeline.report.ScoreTables;
import dev.captioner.pipeline.report.TrainingHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a comparison writes once its runs are done, into its output folder:
 * <pre>
 *   results.md     every table (mean ± standard deviation over seeds), the runs, the charts: ready for the docs
 *   summary.json   the settings, the facts of the invocation (command line, step count and where it came from,
 *                  calibration, timings) and every run's result
 *   charts/        cider-d.png, bleu-rouge.png, cider-d-by-objects.png, grounding.png, training-loss.png,
 *                  validation-cider-d.png
 *   report/        the static HTML report ({@link HtmlReport}): tables, charts, and the sample test images with
 *                  their references, each model's caption and the attention models' word maps
 * </pre>
 * The tables: the test scores of every model; CIDEr-D and BLEU-4 by the number of objects; the grounding
 * accuracy of the attention models, overall, by object size and by number of objects; the hallucinations of
 * every model, by the word gone wrong; all metrics on the images with 1, 2, 3, 4 objects. Runs count in the order given, models in their first run's order.
 */
public final class CompareReport {
    public static final String RESULTS = "results.md";
    public static final String SUMMARY = "summary.json";
    public static final String CHARTS = "charts";
    public static final String REPORT = "report";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String title;
    private final String command;
    private final CompareSettings settings;
    private final List<RunResult> results;
    private final Map<String, List<TrainingHistory>> histories;
    private final Set<String> attentionModels;
    private final List<ReportImage> images;
    private final Map<String, Map<Long, ReportCaption>> captions;
    private final List<String> notes;
    private final Map<String, Object> facts;

    CompareReport(Builder builder) {
        this.title = builder.title;
        this.command = Objects.requireNonNull(builder.command, "setCommand");
        this.settings = Objects.requireNonNull(builder.settings, "setSettings");
        this.results = List.copyOf(builder.results);
        this.histories = new LinkedHashMap<>(builder.histories);
        this.attentionModels = Set.copyOf(builder.attentionModels);
        this.images = List.copyOf(builder.images);
        this.captions = new LinkedHashMap<>(builder.captions);
        this.notes = List.copyOf(builder.notes);
        this.facts = new LinkedHashMap<>(builder.facts);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a comparison report needs at least one run");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where each part went. */
    public record Written(Path results, Path summary, List<Path> charts, Path report) {}

    /** The tables, in the order the files show them. */
    public List<ScoreTable> tables() {
        List<RunScores> runs = results.stream().map(RunResult::scores).toList();
        List<RunScores> attending = runs.stream().filter(r -> attentionModels.contains(r.model())).toList(); // hasGrounding()
        List<ScoreTable> tables = new ArrayList<>();
        tables.add(ScoreTables.overall(testTitle(), runs, CaptionEvaluation.METRICS));
        tables.add(ScoreTables.byObjectCount("CIDEr-D by number of objects in the image", runs, "CIDEr"));
        tables.add(ScoreTables.byObjectCount("BLEU-4 by number of objects in the image", runs, "Bleu_4"));
        if (!attending.isEmpty()) {
            tables.add(ScoreTables.overall("Grounding accuracy of the attention models (by object size; hallucinations apart)",
                    attending, SplitScores.GROUNDING_METRICS));
            tables.add(ScoreTables.byObjectCount("Grounding accuracy by number of objects in the image", attending,
                    SplitScores.GROUNDING));
        }
        tables.add(ScoreTables.overall("Hallucinations: object words that fit no object of the image, by the word gone wrong",
                runs, SplitScores.HALLUCINATION_METRICS));
        TreeSet<Integer> counts = new TreeSet<>();
        runs.forEach(r -> counts.addAll(r.byObjectCount().keySet()));
        for (int count : counts) {
            List<RunScores> group = runs.stream()
                    .filter(r -> r.byObjectCount().containsKey(count))
                    .map(r -> new RunScores(r.model(), r.seed(), r.byObjectCount().get(count))).toList();
            tables.add(ScoreTables.overall("Test images with " + count + (count == 1 ? " object" : " objects"), group,
                    CaptionEvaluation.METRICS));
        }
        return tables;
    }

    /** Writes every part into {@code out} (made where missing); an older report there is replaced. */
    public Written write(Path out) throws IOException {
        List<ScoreTable> tables = tables();
        List<Path> charts = charts(tables, Files.createDirectories(out.resolve(CHARTS)));
        Path markdown = out.resolve(RESULTS);
        AtomicFile.write(markdown, markdown(tables, charts, out).getBytes(StandardCharsets.UTF_8));
        Path summary = out.resolve(SUMMARY);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.putAll(facts);
        json.put("settings", settings);
        json.put("runs", results);
        AtomicFile.write(summary, JSON.writeValueAsBytes(json));
        HtmlReport.Builder html = HtmlReport.builder().setTitle(title).setImages(images).optIntro(String.join(" ", notes));
        captions.forEach(html::addModel);
        tables.forEach(html::optTable);
        for (Path chart : charts) {
            html.optChart(chartTitle(chart), chart);
        }
        Path report = html.build().write(out.resolve(REPORT));
        return new Written(markdown, summary, charts, report);
    }

    private String testTitle() {
        return String.format(Locale.ROOT, "Test split: %d images, %s, %s checkpoint", results.get(0).testImages(),
                settings.beam() == 1 ? "greedy search" : "beam search K=" + settings.beam(),
                settings.checkpoint().equals("best") ? "best validation CIDEr-D" : "final");
    }

    private List<Path> charts(List<ScoreTable> tables, Path dir) throws IOException {
        Charts charts = Charts.builder().build();
        List<Path> written = new ArrayList<>();
        ScoreTable overall = tables.get(0);
        written.add(charts.bars("Test CIDEr-D (mean ± std over seeds)", overall, List.of(MetricNames.display("CIDEr")),
                dir.resolve("cider-d.png")));
        written.add(charts.bars("Test BLEU-1..4 and ROUGE-L (mean ± std over seeds)", overall,
                CaptionEvaluation.METRICS.subList(0, 5).stream().map(MetricNames::display).toList(), dir.resolve("bleu-rouge.png")));
        ScoreTable byCount = tables.get(1);
        if (!byCount.columns().isEmpty()) {
            written.add(charts.bars("Test CIDEr-D by number of objects", byCount, byCount.columns(),
                    dir.resolve("cider-d-by-objects.png")));
        }
        if (hasGrounding()) {
            written.add(charts.bars("Grounding accuracy (mean ± std over seeds)", tables.get(3),
                    SplitScores.GROUNDING_METRICS.subList(0, 3), dir.resolve("grounding.png")));
        }
        written.add(charts.lossCurves("Training loss (mean over seeds, smoothed)", histories, dir.resolve("training-loss.png")));
        written.add(charts.validationCurvesByStep("Validation CIDEr-D (mean over seeds)", histories, "CIDEr",
                dir.resolve("validation-cider-d.png")));
        return written;
    }

    /** Whether any run is of an attention model: then tables 4 and 5 are the grounding ones. */
    private boolean hasGrounding() {
        return results.stream().anyMatch(r -> attentionModels.contains(r.model()));
    }

    private static String chartTitle(Path png) {
        return switch (png.getFileName().toString()) {
            case "cider-d.png" -> "Test CIDEr-D";
            case "bleu-rouge.png" -> "Test BLEU-1..4 and ROUGE-L";
            case "cider-d-by-objects.png" -> "Test CIDEr-D by number of objects";
            case "grounding.png" -> "Grounding accuracy";
            case "training-loss.png" -> "Training loss";
            default -> "Validation CIDEr-D";
        };
    }

    private String markdown(List<ScoreTable> tables, List<Path> charts, Path out) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        for (String note : notes) {
            md.append("- ").append(note).append('\n');
        }
        md.append('\n').append(MarkdownTables.create().render(tables)).append('\n');
        md.append("### Runs\n\n| model | seed | steps | best step | validation CIDEr-D | test CIDEr-D | training s | test s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %.0f | %.0f |%n", r.model(), r.seed(), r.steps(),
                    r.bestStep() == null ? "–" : r.bestStep().toString(), number(r.bestValidationCider()),
                    number(r.test().get("CIDEr")), r.trainSeconds(), r.testSeconds()));
        }
        md.append("\n### Charts\n\n");
        for (Path chart : charts) {
            md.append("![").append(chartTitle(chart)).append("](").append(out.relativize(chart).toString().replace('\\', '/'))
                    .append(")\n\n");
        }
        return md.toString();
    }

    private static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Builds a {@link CompareReport}; the command line, the settings and the runs are required. */
    public static final class Builder {
        private String title = "Attention and recurrent cells compared";
        private String command;
        private CompareSettings settings;
        private final List<RunResult> results = new ArrayList<>();
        private final Map<String, List<TrainingHistory>> histories = new LinkedHashMap<>();
        private final Set<String> attentionModels = new TreeSet<>();
        private List<ReportImage> images = List.of();
        private final Map<String, Map<Long, ReportCaption>> captions = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final Map<String, Object> facts = new LinkedHashMap<>();

        Builder() {}

        /** The command line that made the comparison, shown first. */
        public Builder setCommand(String command) {
            this.command = command;
            return this;
        }

        public Builder setSettings(CompareSettings settings) {
            this.settings = settings;
            return this;
        }

        /** One run's result and training history; {@code attention} marks the models whose grounding is tabled. */
        public Builder addRun(RunResult result, TrainingHistory history, boolean attention) {
            results.add(result);
            histories.computeIfAbsent(result.model(), m -> new ArrayList<>()).add(history);
            if (attention) {
                attentionModels.add(result.model());
            }
            return this;
        }

        /** The sample of test images the HTML report shows. */
        public Builder optImages(List<ReportImage> images) {
            this.images = List.copyOf(images);
            return this;
        }

        /** One model's captions of the sample images, as the HTML report shows them. */
        public Builder optCaptions(String model, Map<Long, ReportCaption> captions) {
            this.captions.put(model, captions);
            return this;
        }

        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /** A line of the introduction (markdown list item, HTML paragraph). */
        public Builder optNote(String note) {
            notes.add(note);
            return this;
        }

        /** A fact of the invocation for {@value CompareReport#SUMMARY}, e.g. the step count's origin or timings. */
        public Builder optFact(String key, Object value) {
            facts.put(key, value);
            return this;
        }

        public CompareReport build() {
            return new CompareReport(this);
        }
    }
}
