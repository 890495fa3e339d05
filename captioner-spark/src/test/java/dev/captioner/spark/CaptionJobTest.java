package dev.captioner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch job end to end, in-process against the local session: JSON lines, a COCO results file that scores, features. */
class CaptionJobTest {
    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static TestImages images;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        images = TestImages.write(tmp.resolve("data"));
    }

    /** What the job printed, and its exit code. */
    private record JobRun(int exit, String out, String err) {
        static JobRun of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = CaptionJob.run(() -> spark, new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new JobRun(exit, out.toString(), err.toString());
        }

        void assertOneLineError(int expectedExit, String expected) {
            assertEquals(expectedExit, exit, toString());
            assertEquals(1, err.strip().lines().count(), toString());
            assertTrue(err.contains(expected), toString());
            assertFalse(err.contains("\tat "), "no stack trace without --verbose: " + err);
        }
    }

    @Test
    void captionsEveryImageToJsonLinesAndACocoResultsFileThatScores() throws IOException {
        Path out = tmp.resolve("captions");
        Path coco = tmp.resolve("results.json");
        JobRun run = JobRun.of("--images", images.data().toString(), "--model", LocalSpark.MODEL.toString(), "--out", out.toString(),
                "--format", "jsonl", "--coco-results", coco.toString(), "--beam", "2", "--batch", "8");
        assertEquals(0, run.exit(), run.toString());
        int good = images.good().size();
        assertTrue(run.out().contains("captioned " + good + " images (2 failed)"), run.out());
        assertEquals(2, run.err().lines().filter(line -> line.startsWith("error: ")).count(), run.err());

        // The JSON lines hold every row, bad ones with their error; the captions are the library's.
        List<Row> rows = spark.read().json(out.toString()).collectAsList();
        assertEquals(good + 2, rows.size());
        Map<Long, String> library = new HashMap<>();
        try (Captioner captioner = Captioner.load(List.of(LocalSpark.MODEL), Captioner.Options.builder().optBeamSize(2).build())) {
            for (Path image : images.good()) {
                library.put(CocoImageIds.of(image.toString()), captioner.caption(image).text());
            }
        }
        for (Row row : rows) {
            String path = row.getAs("path");
            if (path.contains("notes.jpg") || path.contains("truncated.jpg")) {
                assertNotNull(row.getAs("error"), path);
            } else {
                assertNull(row.getAs("error"), path);
                assertEquals(library.get(CocoImageIds.of(path)), row.getAs("caption"), path);
            }
        }

        // The COCO results: one per good image, by the id its name carries, scored against synth-scenes' references.
        List<CocoResult> results = CocoResults.read(coco);
        assertEquals(good, results.size());
        Map<Long, List<String>> references = new HashMap<>();
        for (String split : SynthScenes.SPLITS) {
            references.putAll(CocoCaptions.read(images.data().resolve(SynthScenes.captionsFile(split))).captionsByImage());
        }
        List<Long> ids = new ArrayList<>();
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        Map<Long, List<String>> refs = new LinkedHashMap<>();
        for (CocoResult result : results) {
            assertEquals(library.get(result.imageId()), result.caption(), "image " + result.imageId());
            ids.add(result.imageId());
            candidates.put(result.imageId(), List.of(CaptionTokenizer.normalize(result.caption())));
            refs.put(result.imageId(), references.get(result.imageId()).stream().map(CaptionTokenizer::normalize).toList());
        }
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(ids, candidates, refs);
        double bleu1 = scores.toMap().get("Bleu_1");
        assertTrue(bleu1 > 0.5, "the bundled model describes synth scenes well: BLEU-1 " + bleu1);
    }

    @Test
    void writesFeaturesAsParquet() {
        Path out = tmp.resolve("captions-parquet");
        Path features = tmp.resolve("features");
        JobRun run = JobRun.of("--images", images.imageDir().toString(), "--model", LocalSpark.MODEL.toString(), "--out", out.toString(),
                "--beam", "1", "--batch", "8", "--features", features.toString(), "--grid");
        assertEquals(0, run.exit(), run.toString());
        List<Row> rows = spark.read().parquet(features.toString()).filter("error is null").collectAsList();
        assertEquals(images.good().size(), rows.size());
        for (Row row : rows) {
            List<Float> pooled = row.getList(row.fieldIndex("pooled"));
            List<List<Float>> grid = row.<scala.collection.Seq<Float>>getList(row.fieldIndex("grid")).stream()
                    .map(scala.jdk.javaapi.CollectionConverters::asJava).toList();
            assertEquals(256, pooled.size(), "D of the bundled encoder");
            assertEquals(64, grid.size(), "its 8 x 8 grid");
            // pooled is the grid's mean over its locations
            for (int d = 0; d < pooled.size(); d += 51) {
                double mean = 0;
                for (List<Float> location : grid) {
                    mean += location.get(d) / grid.size();
                }
                assertEquals(mean, pooled.get(d), 1e-4);
            }
        }
        assertEquals(2, spark.read().parquet(features.toString()).filter("error is not null").count());
    }

    @Test
    void mistakesEndWithOneLine() {
        String model = LocalSpark.MODEL.toString();
        String in = images.imageDir().toString();
        JobRun.of("--images", tmp.resolve("nowhere").toString(), "--model", model, "--out", tmp.resolve("o1").toString())
                .assertOneLineError(CaptionJob.DATA_ERROR, "nowhere: no such file or folder");
        JobRun.of("--images", in, "--model", tmp.resolve("no-model.zip").toString(), "--out", tmp.resolve("o2").toString())
                .assertOneLineError(CaptionJob.DATA_ERROR, "no-model.zip: no model package here");
        JobRun.of("--images", in, "--model", model, "--out", tmp.resolve("o3").toString(), "--bogus")
                .assertOneLineError(CaptionJob.USAGE, "Unknown option: '--bogus'");
        JobRun.of("--images", in, "--model", model, "--out", tmp.resolve("o4").toString(), "--beam", "2", "--n-best", "3")
                .assertOneLineError(CaptionJob.USAGE, "n-best 3 cannot exceed the beam size 2");
        JobRun.of("--images", in, "--model", model, "--out", images.data().toString())
                .assertOneLineError(CaptionJob.DATA_ERROR, "already exists; name another or add --overwrite");
        JobRun.of("--images", images.data().resolve("captions_test.json").toString(), "--model", model, "--out", tmp.resolve("o5").toString())
                .assertOneLineError(CaptionJob.DATA_ERROR, "no image files here");
    }
}
