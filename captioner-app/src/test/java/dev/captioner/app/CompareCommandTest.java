package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.pipeline.compare.CompareSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code captioner compare} end to end on 48 synth-scenes images (40 train, 4 val, 4 test), a random-weight
 * ResNet-18 at 64 pixels (a 2x2 grid) and decoders of E = H = A = 16: two models, two seeds, 6 steps a run.
 */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("att-lstm", "plain-gru");

    @TempDir
    static Path data;

    static Path out;
    static CliRun first;

    @TempDir
    Path dir;

    @BeforeAll
    static void compareTwoModelsOnce() {
        assertEquals(0, CliRun.of("synth", "--out", data.toString(), "--images", "48", "--size", "64", "--seed", "3").exit());
        out = data.resolve("compare");
        first = compare(out);
    }

    /** The tiny comparison into {@code target} with {@code more}, whose flags replace the defaults here. */
    private static CliRun compare(Path target, String... more) {
        List<String> args = new ArrayList<>(List.of("compare", "--data", data.toString(), "--encoder", "resnet18@64",
                "--cache", data.resolve("cache").toString(), "--out", target.toString()));
        args.addAll(List.of(more));
        String[] defaults = {"--models", String.join(",", MODELS), "--seeds", "2", "--embedding-size", "16", "--hidden-size", "16",
            "--attention-size", "16", "--batch-size", "32", "--validations", "2", "--report-images", "4", "--jobs", "1"};
        for (int i = 0; i < defaults.length; i += 2) {
            if (!args.contains(defaults[i])) {
                args.addAll(List.of(defaults[i], defaults[i + 1]));
            }
        }
        if (!args.contains("--budget") && !args.contains("--steps")) {
            args.addAll(List.of("--steps", "6"));
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * Stopping compare (SIGTERM, as {@code kill} or a closed terminal sends) stops its workers as well: each claim
     * holds its worker's process id, and no such process is left running.
     */
    @Test
    void stoppingCompareStopsItsWorkers() throws Exception {
        Path target = dir.resolve("stopped");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CaptionerCli.class.getName(), "compare", "--data", data.toString(), "--encoder",
                "resnet18@64", "--cache", data.resolve("cache").toString(), "--out", target.toString(), "--models", "att-lstm,plain-lstm",
                "--seeds", "1", "--embedding-size", "16", "--hidden-size", "16", "--attention-size", "16", "--steps", "100000",
                "--jobs", "2"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stopped.log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process compare = builder.start();
        List<Long> workers = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (workers.size() < 2 && System.nanoTime() < deadline && compare.isAlive()) {
                Thread.sleep(200);
                workers.clear();
                if (Files.isDirectory(target.resolve("claims"))) {
                    try (var claims = Files.list(target.resolve("claims"))) {
                        for (Path claim : claims.toList()) {
                            String pid = Files.readString(claim).strip();
                            if (!pid.isEmpty()) {
                                workers.add(Long.parseLong(pid));
                            }
                        }
                    }
                }
            }
            assertEquals(2, workers.size(), "both workers claimed a run: " + Files.readString(dir.resolve("stopped.log")));
        } finally {
            compare.destroy();
            assertTrue(compare.waitFor(60, TimeUnit.SECONDS), "compare stops");
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (workers.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " was left running");
        }
    }

    /** Two worker processes share the runs: each run is trained once (one claim each), and the report follows. */
    @Test
    void workersShareTheRunsAndTheReportFollows() throws IOException {
        Path target = dir.resolve("workers");
        CliRun run = compare(target, "--jobs", "2", "--seeds", "1");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("worker processes"), run.out());
        try (var claims = Files.list(target.resolve("claims"))) {
            assertEquals(MODELS.size(), claims.count(), "one claim a run");
        }
        for (String model : MODELS) {
            assertTrue(Files.isRegularFile(target.resolve("runs").resolve(model).resolve("seed-0").resolve("result.json")), model);
        }
        assertTrue(Files.isRegularFile(target.resolve("results.md")));
        assertTrue(Files.isRegularFile(target.resolve("logs").resolve("worker-0.log")));
    }

    private static Path run(String model, int seed) {
        return out.resolve("runs").resolve(model).resolve("seed-" + seed);
    }

    @Test
    void trainsEveryModelAndSeedForTheSameStepsAndKeepsWhatEachRunNeeds() throws IOException {
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("every run: 6 steps"), first.out());
        for (String model : MODELS) {
            for (int seed = 0; seed < 2; seed++) {
                Path run = run(model, seed);
                for (String file : List.of("training-log.csv", "results_test.json", "result.json", "checkpoints/best/decoder.params")) {
                    assertTrue(Files.isRegularFile(run.resolve(file)), run.resolve(file).toString());
                }
                assertFalse(Files.exists(run.resolve("checkpoints/last")), "only the evaluated snapshot is kept");
                List<String> log = Files.readAllLines(run.resolve("training-log.csv"));
                assertEquals(6, log.stream().filter(line -> line.contains(",train,")).count(), model + " " + seed);
                List<String> validated = log.stream().filter(line -> line.contains(",val,")).map(line -> line.split(",")[0]).toList();
                assertEquals(List.of("3", "6"), validated, "validated half-way and at the end (the epoch is 7 steps)");
                JsonNode result = JSON.readTree(run.resolve("result.json").toFile());
                assertEquals(6, result.get("steps").asLong());
                assertEquals(seed, result.get("seed").asInt());
                assertTrue(Set.of(3L, 6L).contains(result.get("bestStep").asLong()), result.toString());
            }
        }
    }

    @Test
    void theTablesHaveEveryModelAndSeedOverallAndByObjectCount() throws IOException {
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.startsWith("# "), md);
        assertTrue(md.contains("captioner compare --data " + data), "the command line, to repeat the run");
        for (String model : MODELS) {
            assertTrue(md.contains("| " + model + " | 2 | "), "a row of two seeds for " + model + ":\n" + md);
            for (int seed = 0; seed < 2; seed++) {
                assertTrue(md.contains("| " + model + " | " + seed + " | 6 | "), "the run " + model + " " + seed + " in the runs table");
            }
        }
        Set<Integer> counts = new TreeSet<>();
        SynthInstances instances = SynthInstances.read(data.resolve("instances.json"));
        Map<Long, List<SynthAnnotation>> objects = instances.annotationsByImage();
        for (KarpathyImage image : KarpathySplit.read(data.resolve("dataset_synth.json")).split("test")) {
            counts.add(objects.get(image.id()).size());
        }
        String header = "| model | seeds | " + String.join(" | ", counts.stream().map(c -> c + (c == 1 ? " object" : " objects")).toList())
                + " |";
        for (String title : List.of("### CIDEr-D by number of objects in the image", "### BLEU-4 by number of objects in the image")) {
            int at = md.indexOf(title);
            assertTrue(at >= 0, title);
            assertTrue(md.startsWith(header, md.indexOf("| model", at)), header + " after " + title + ":\n" + md);
        }
        for (int count : counts) {
            assertTrue(md.contains("### Test images with " + count + (count == 1 ? " object" : " objects")), md);
        }
        int grounding = md.indexOf("### Grounding accuracy of the attention models");
        assertTrue(grounding >= 0, md);
        String groundingTable = md.substring(grounding, md.indexOf("\n\n###", grounding));
        assertTrue(groundingTable.contains("| att-lstm |") && !groundingTable.contains("plain-gru"), groundingTable);
        int hallucinations = md.indexOf("### Hallucinations: object words that fit no object of the image");
        assertTrue(hallucinations >= 0, md);
        String hallucinationTable = md.substring(hallucinations, md.indexOf("\n\n###", hallucinations));
        assertTrue(hallucinationTable.contains("| Wrong size |") && hallucinationTable.contains("| Wrong shape |"), hallucinationTable);
        for (String model : MODELS) {
            // a row for every model, attention or not (6 steps may name no object: then its seeds count 0)
            assertTrue(hallucinationTable.contains("| " + model + " | "), "every model, attention or not:\n" + hallucinationTable);
        }
    }

    @Test
    void groundingIsAShareOrUndefinedAndOnlyForAttentionModels() throws IOException {
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(6, summary.get("steps").asLong());
        assertEquals(6, summary.get("settings").get("steps").asLong());
        assertEquals("[\"att-lstm\",\"plain-gru\"]", summary.get("models").toString());
        assertEquals(4, summary.get("runs").size());
        for (JsonNode run : summary.get("runs")) {
            JsonNode test = run.get("test");
            assertTrue(test.get("CIDEr").asDouble() >= 0, run.toString());
            if (run.get("model").asText().startsWith("att")) {
                for (String metric : List.of("Grounding", "Grounding (small)", "Grounding (large)", "Hallucination rate")) {
                    JsonNode value = test.get(metric);
                    assertTrue(value.isNull() || value.asDouble() >= 0 && value.asDouble() <= 1, metric + " " + value);
                }
                JsonNode counts = run.get("grounding").get("overall");
                assertEquals(counts.get("mentions").asLong(), counts.get("hits").asLong() + counts.get("misses").asLong()
                        + counts.get("hallucinations").asLong());
                for (JsonNode group : run.get("testByObjectCount")) {
                    assertTrue(group.has("Grounding"), run.toString());
                }
            } else {
                assertFalse(test.has("Grounding"), run.toString());
                assertTrue(run.get("grounding").isNull(), run.toString());
            }
        }
    }

    @Test
    void chartsAndAnHtmlReportWhoseWordMapsExist() throws IOException {
        for (String chart : List.of("cider-d", "bleu-rouge", "cider-d-by-objects", "grounding", "training-loss", "validation-cider-d")) {
            BufferedImage png = ImageIO.read(out.resolve("charts").resolve(chart + ".png").toFile());
            assertEquals(800, png.getWidth(), chart);
            assertTrue(Files.readString(out.resolve("results.md")).contains("(charts/" + chart + ".png)"), chart);
        }
        String html = Files.readString(out.resolve("report/index.html"));
        Matcher links = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        List<String> maps = new ArrayList<>();
        int pictures = 0;
        while (links.find()) {
            pictures++;
            assertTrue(Files.isRegularFile(out.resolve("report").resolve(links.group(1))), links.group(1));
            if (links.group(1).startsWith("maps/")) {
                maps.add(links.group(1));
            }
        }
        assertTrue(pictures >= 6 + 4, "the charts and the 4 sample images");
        assertFalse(maps.isEmpty(), "the attention model's word maps");
        assertTrue(maps.stream().allMatch(m -> m.startsWith("maps/att-lstm/")), "a plain model has no maps: " + maps);
        for (String model : MODELS) {
            assertTrue(html.contains(model), model);
        }
    }

    /**
     * compare's defaults (docs/results.md): supervised attention and the deep output for the attention decoders, which
     * can be turned off; validation with the test's beam search, K = 4; the weights' moving average.
     */
    @Test
    void theAttentionDefaultsAreSavedAndTheDeepOutputCanBeTurnedOff() throws IOException {
        JsonNode saved = JSON.readTree(out.resolve(CompareSettings.FILE).toFile());
        assertEquals(1.0, saved.get("attentionSupervision").asDouble());
        assertEquals("ZERO", saved.get("initialState").asText());
        assertTrue(saved.get("deepOutput").asBoolean(), saved.toString());
        assertEquals(4, saved.get("beam").asInt(), "tested with beam search, K = 4");
        assertEquals(4, saved.get("validationBeam").asInt(), "validated with the test's beam search");
        compare(out, "--validation-beam", "1").assertOneLineError(ExitCode.USAGE, "validationBeam 4 there, 1 here");
        compare(dir.resolve("v"), "--validation-beam", "0").assertOneLineError(ExitCode.USAGE, "--validation-beam must be at least 1, got 0");
        assertEquals(0.999, saved.get("weightAverage").asDouble(), 1e-6, "the weights' moving average by default");
        compare(out, "--weight-average", "0").assertOneLineError(ExitCode.USAGE, "weightAverage 0.999 there, 0.0 here");

        Path target = dir.resolve("shallow");
        CliRun shallow = compare(target, "--no-deep-output", "--dry-run");
        assertEquals(0, shallow.exit(), shallow.toString());
        CliRun again = compare(out, "--no-deep-output");
        again.assertOneLineError(ExitCode.USAGE, "deepOutput true there, false here");
        compare(target, "--deep-output", "--no-deep-output").assertOneLineError(ExitCode.USAGE,
                "--deep-output and --no-deep-output contradict each other");
    }

    @Test
    void aRerunSkipsTheRunsThatAreDoneAndRefusesOtherSettings() throws IOException {
        Path log = run("att-lstm", 1).resolve("training-log.csv");
        FileTime before = Files.getLastModifiedTime(log);
        byte[] result = Files.readAllBytes(run("plain-gru", 0).resolve("result.json"));
        CliRun again = compare(out);
        assertEquals(0, again.exit(), again.toString());
        assertEquals(4, again.out().split("done before", -1).length - 1, again.out());
        assertEquals(before, Files.getLastModifiedTime(log), "not trained again");
        assertEquals(new String(result), Files.readString(run("plain-gru", 0).resolve("result.json")));
        assertTrue(Files.isRegularFile(out.resolve("report/index.html")));

        CliRun other = compare(out, "--lr", "0.01");
        other.assertOneLineError(ExitCode.USAGE, "holds a comparison made with other settings (learningRate 0.001 there, 0.01 here)");
    }

    @Test
    void aBudgetBecomesOneStepCountByCalibration() throws IOException {
        Path target = dir.resolve("planned");
        CliRun plan = compare(target, "--budget", "1", "--dry-run");
        assertEquals(0, plan.exit(), plan.toString());
        for (String model : MODELS) {
            assertTrue(plan.out().contains("calibration " + model + ": "), plan.out());
        }
        Matcher line = Pattern.compile("budget 1 minutes: (\\d+) steps a run, predicted ([0-9.]+) minutes for 4 runs").matcher(plan.out());
        assertTrue(line.find(), plan.out());
        assertTrue(Long.parseLong(line.group(1)) >= 1);
        assertTrue(Double.parseDouble(line.group(2)) <= 1, "within the budget");
        assertTrue(plan.out().contains("repeat with --steps " + line.group(1)), plan.out());
        assertFalse(Files.exists(target.resolve(CompareSettings.FILE)), "a dry run writes no comparison");

        compare(target, "--budget", "0.001").assertOneLineError(ExitCode.DATA_ERROR, "a budget of 0.001 minutes fits no training step");
    }

    @Test
    void mistakesAreOneLineWithTheirExitCodes() {
        CliRun.of("compare", "--encoder", "resnet18@64", "--out", dir.toString())
                .assertOneLineError(ExitCode.USAGE, "Missing required option: '--data=DATASET'");
        CliRun.of("compare", "--data", dir.resolve("nowhere").toString(), "--encoder", "resnet18@64", "--out", dir.resolve("o").toString())
                .assertOneLineError(ExitCode.DATA_ERROR, dir.resolve("nowhere") + ": no such file");
        compare(dir.resolve("o"), "--models", "att-lstm,transformer")
                .assertOneLineError(ExitCode.USAGE, "--models: unknown model 'transformer'; the models are plain-lstm, plain-gru, att-lstm");
        compare(dir.resolve("o"), "--budget", "0").assertOneLineError(ExitCode.USAGE, "--budget must be a positive number of minutes");
        compare(dir.resolve("o"), "--budget", "soon").assertOneLineError(ExitCode.USAGE, "'soon' is not a double");
        compare(dir.resolve("o"), "--budget", "5", "--steps", "5").assertOneLineError(ExitCode.USAGE, "give --steps or --budget, not both");
        compare(dir.resolve("o"), "--checkpoint", "middle").assertOneLineError(ExitCode.USAGE, "--checkpoint must be best or final");
    }
}
