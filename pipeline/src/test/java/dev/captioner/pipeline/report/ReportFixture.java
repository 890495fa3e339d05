package dev.captioner.pipeline.report;

import dev.captioner.data.synth.SceneCaption;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.pipeline.model.Caption;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small comparison to report on, made from nothing: three 96-pixel synth-scenes images (PNG), a plain
 * model that says each image's first reference, an attention model that says "a red circle" with a 3×3
 * grid peaking in a different cell for each word, a score table and one chart.
 */
final class ReportFixture {
    static final List<String> ATTENTION_WORDS = List.of("a", "red", "circle");

    final Path data;
    final List<ReportImage> images = new ArrayList<>();
    final Map<Long, ReportCaption> plain = new LinkedHashMap<>();
    final Map<Long, ReportCaption> attention = new LinkedHashMap<>();
    final ScoreTable table;
    final Path chart;

    ReportFixture(Path data) throws IOException {
        this.data = data;
        SynthScenes scenes = SynthScenes.builder().setImages(3).optSize(96).optSeed(5).optImageFormat("png").optThreads(1).build();
        scenes.write(data, done -> { });
        for (int i = 0; i < scenes.images(); i++) {
            List<String> references = scenes.captions(i).stream().map(SceneCaption::text).toList();
            int objects = scenes.scene(i).objects().size();
            images.add(new ReportImage(i, data.resolve(SynthScenes.IMAGE_DIR).resolve(scenes.fileName(i)), references,
                    objects + (objects == 1 ? " object" : " objects")));
            plain.put((long) i, new ReportCaption(new Caption(List.of(references.get(0).split(" ")), -3, List.of())));
            List<float[][]> grids = new ArrayList<>();
            for (int t = 0; t < ATTENTION_WORDS.size(); t++) {
                grids.add(peakAt((t + i) % 3, t));
            }
            attention.put((long) i, new ReportCaption(new Caption(ATTENTION_WORDS, -2, grids)));
        }
        table = ScoreTables.overall("Test split", MarkdownTablesTest.runs(), MarkdownTablesTest.METRICS);
        chart = Charts.builder().optSize(400, 250).build().bars("Test scores", table, List.of("CIDEr-D", "BLEU-4"),
                data.resolve("bars.png"));
    }

    /** A 3×3 grid with most of its weight in cell (r, c). */
    static float[][] peakAt(int r, int c) {
        float[][] grid = new float[3][3];
        for (float[] row : grid) {
            java.util.Arrays.fill(row, 0.2f / 8);
        }
        grid[r][c] = 0.8f;
        return grid;
    }

    HtmlReport.Builder report() {
        return HtmlReport.builder().setTitle("Comparison <test>").setImages(images)
                .optIntro("Three synth-scenes images & two models.")
                .addModel("plain-lstm", plain)
                .addModel("att-lstm", attention)
                .optTable(table)
                .optTable(ScoreTables.byObjectCount("CIDEr-D by number of objects", MarkdownTablesTest.runs(), "CIDEr"))
                .optChart("Test scores", chart);
    }
}
