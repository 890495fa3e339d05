package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.FileTrees;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * {@code captioner caption} and {@code captioner evaluate} end to end, on a tiny model that
 * {@code captioner train} makes from synth-scenes with a random-weight ResNet-18 at 32 pixels.
 */
class CaptionCommandTest {
    @TempDir
    static Path data;

    static Path model;
    static Path images;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainATinyModel() {
        assertEquals(0, CliRun.of("synth", "--out", data.toString(), "--images", "24", "--size", "64", "--seed", "9").exit());
        CliRun train = CliRun.of("train", "--data", data.toString(), "--out", data.resolve("run").toString(), "--encoder", "resnet18@32",
                "--embedding-size", "16", "--hidden-size", "16", "--attention-size", "16", "--min-word-count", "1", "--epochs", "1",
                "--batch-size", "32");
        assertEquals(0, train.exit(), train.toString());
        model = data.resolve("run/model");
        images = data.resolve("images");
    }

    private static Path image(int n) {
        return images.resolve(String.format("%06d.jpg", n));
    }

    private static void assertOneLineError(CliRun run, int exit, String expected) {
        run.assertOneLineError(exit, expected);
    }

    @Test
    void captionsAnImageWithBeamAndGreedy() {
        for (String beam : List.of("1", "3")) {
            CliRun run = CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--beam", beam);
            assertEquals(0, run.exit(), run.toString());
            String line = run.out().strip();
            assertTrue(line.startsWith(image(0) + ": "), line);
            assertTrue(line.length() > (image(0) + ": ").length(), "a caption of at least one word: " + line);
        }
    }

    @Test
    void aFolderSkipsFilesThatAreNotImagesAndNBestComesAsJson() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("in"));
        Files.copy(image(1), folder.resolve("a.jpg"));
        Files.copy(image(2), folder.resolve("b.jpg"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        CliRun run = CliRun.of("caption", folder.toString(), "--model", model.toString(), "--beam", "3", "--n-best", "2", "--json");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().contains("warning: skipping " + folder.resolve("notes.txt") + ": not an image file (.txt)"), run.err());
        JsonNode all = new ObjectMapper().readTree(run.out());
        assertEquals(2, all.size());
        for (JsonNode image : all) {
            JsonNode captions = image.get("captions");
            assertEquals(2, captions.size());
            assertTrue(captions.get(0).get("log_prob").asDouble() >= captions.get(1).get("log_prob").asDouble(), "best first");
        }
    }

    @Test
    void attentionMapsAreOnePicturePerWordAndASheet() throws IOException {
        Path maps = dir.resolve("maps");
        CliRun run = CliRun.of("caption", image(3).toString(), "--model", model.toString(), "--attention-maps", maps.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        int words = new ObjectMapper().readTree(run.out()).get(0).get("captions").get(0).get("caption").asText().split(" ").length;
        Path folder;
        try (Stream<Path> listed = Files.list(maps)) {
            folder = listed.findFirst().orElseThrow();
        }
        try (Stream<Path> listed = Files.list(folder)) {
            List<Path> pngs = listed.filter(p -> p.toString().endsWith(".png")).toList();
            assertEquals(words + 1, pngs.size(), "one per word and the sheet: " + pngs);
            for (Path png : pngs) {
                Mat picture = Imgcodecs.imread(png.toString());
                assertTrue(picture.width() > 0 && picture.height() > 0, png.toString());
            }
        }
    }

    /** --device names where everything runs; a GPU this machine lacks, or no device at all, is one usage line. */
    @Test
    void deviceIsChosenOnceForEncodingAndSearch() {
        CliRun cpu = CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--device", "cpu");
        CliRun found = CliRun.of("caption", image(0).toString(), "--model", model.toString());
        assertEquals(0, cpu.exit(), cpu.toString());
        assertEquals(found.out(), cpu.out(), "the default is what DJL finds: the CPU here");
        if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
            assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--device", "gpu"), 2,
                    "--device gpu: DJL finds no GPU");
            assertOneLineError(CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--device", "cuda:1"), 2,
                    "--device cuda:1: DJL finds no GPU");
            assertOneLineError(CliRun.of("features", "--data", data.toString(), "--encoder", "resnet18@32", "--out",
                    dir.resolve("cache").toString(), "--device", "gpu:0"), 2, "--device gpu:0: DJL finds no GPU");
        }
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--device", "tpu"), 2,
                "--device: 'tpu' is not a device; use cpu, gpu or gpu:N");
    }

    /** Several --model make an ensemble; one with another vocabulary is refused with one line naming it. */
    @Test
    void severalModelsCaptionAsAnEnsemble() throws IOException {
        CliRun both = CliRun.of("caption", image(0).toString(), image(1).toString(), "--model", model.toString(), "--model", model.toString());
        CliRun one = CliRun.of("caption", image(0).toString(), image(1).toString(), "--model", model.toString());
        assertEquals(0, both.exit(), both.toString());
        assertEquals(one.out(), both.out(), "the mean of a model with itself is the model");

        Path otherVocabulary = dir.resolve("other-vocabulary");
        copy(model, otherVocabulary);
        Vocabulary.build(List.of(List.of("an", "entirely", "different", "vocabulary")), 1).save(otherVocabulary.resolve("vocab.json"));
        Path otherDecoder = data.resolve("run-plain/model");
        assertEquals(0, CliRun.of("train", "--data", data.toString(), "--out", data.resolve("run-plain").toString(), "--encoder",
                "resnet18@32", "--cache", data.resolve("run-features").toString(), "--no-attention", "--embedding-size", "16",
                "--hidden-size", "16", "--min-word-count", "1", "--epochs", "1", "--batch-size", "32").exit());
        CliRun mixed = CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--model", otherDecoder.toString(), "--json");
        assertEquals(0, mixed.exit(), mixed.toString());
        assertTrue(mixed.out().contains("\"caption\""), mixed.out());

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--model", otherDecoder.toString(), "--data", data.toString(),
                "--out", dir.resolve("results.json").toString());
        assertEquals(0, evaluate.exit(), evaluate.toString());
        assertTrue(evaluate.out().contains("(an ensemble of 2) (beam search, K=3)"), evaluate.out());
    }

    @Test
    void anEnsembleWithAnotherVocabularyIsOneLine() throws IOException {
        Path otherVocabulary = dir.resolve("other-words");
        copy(model, otherVocabulary);
        List<String> words = new java.util.ArrayList<>(Vocabulary.load(model.resolve("vocab.json")).words().subList(4, 
                Vocabulary.load(model.resolve("vocab.json")).size()));
        java.util.Collections.reverse(words);
        Vocabulary.build(List.of(words), 1).save(otherVocabulary.resolve("vocab.json")); // the same size, other ids
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--model", otherVocabulary.toString()),
                1, otherVocabulary + ": word ");
    }

    /** caption --sample draws captions: the same seed draws the same ones; sampling options without --sample are a usage error. */
    @Test
    void sampleDrawsCaptionsRepeatablyFromASeed() {
        String[] args = {"caption", image(0).toString(), image(1).toString(), image(2).toString(), "--model", model.toString(), "--sample",
            "--temperature", "1.5", "--top-k", "5", "--seed", "11"};
        CliRun first = CliRun.of(args);
        CliRun again = CliRun.of(args);
        assertEquals(0, first.exit(), first.toString());
        assertEquals(first.out(), again.out());
        assertEquals(3, first.out().strip().lines().count(), first.out());
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--seed", "3"), 2,
                "--temperature, --top-k and --seed go with --sample");
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--sample", "--beam", "3"), 2,
                "--sample: sampling draws one caption per image and keeps no beam");
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--sample", "--temperature", "0"), 2,
                "the temperature must be a finite number greater than 0");
    }

    @Test
    void aCorruptImageIsOneLineAndTheOthersAreStillCaptioned() throws IOException {
        Path bad = Files.writeString(dir.resolve("broken.jpg"), "this is not a JPEG");
        CliRun run = CliRun.of("caption", bad.toString(), image(4).toString(), "--model", model.toString());
        assertOneLineError(run, 1, bad.toString());
        assertTrue(run.out().contains(image(4) + ": "), run.out());
    }

    @Test
    void userErrorsAreOneLine() throws IOException {
        assertOneLineError(CliRun.of("caption", dir.resolve("missing.jpg").toString(), "--model", model.toString()), 1, "missing.jpg");
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--bogus"), 2, "--bogus");
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", model.toString(), "--n-best", "4"), 2,
                "n-best 4 cannot exceed the beam size 3");

        Path incomplete = dir.resolve("incomplete");
        copy(model, incomplete);
        Files.delete(incomplete.resolve("vocab.json"));
        assertOneLineError(CliRun.of("caption", image(0).toString(), "--model", incomplete.toString()), 1, "vocab.json");

        Path otherVocabulary = dir.resolve("other-vocabulary");
        copy(model, otherVocabulary);
        Vocabulary.build(List.of(List.of("an", "entirely", "different", "vocabulary")), 1).save(otherVocabulary.resolve("vocab.json"));
        CliRun other = CliRun.of("caption", image(0).toString(), "--model", otherVocabulary.toString());
        assertOneLineError(other, 1, otherVocabulary.toString());
    }

    @Test
    void evaluateWritesCocoResultsAndScores() throws IOException {
        Path results = dir.resolve("results.json");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "test", "--beam", "2",
                "--out", results.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("CIDEr"), run.out());
        JsonNode scores = new ObjectMapper().readTree(run.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(scores.has("Bleu_4") && scores.has("CIDEr"), scores.toString());
        int testImages = (int) run.out().lines().findFirst().map(l -> Integer.parseInt(l.split(" ")[0])).orElseThrow();
        assertEquals(testImages, CocoResults.read(results).size());
        assertTrue(testImages > 0);
        // An attention model on synth-scenes (instances.json beside the split file): grounding has keys of its own.
        JsonNode grounding = scores.get("grounding");
        assertTrue(grounding != null && grounding.isObject(), scores.toString());
        assertEquals(grounding.get("mentions").asLong(), grounding.get("hits").asLong() + grounding.get("misses").asLong()
                + grounding.get("hallucinations").asLong(), grounding.toString());
        double ceiling = grounding.get("ceiling").asDouble();
        assertTrue(ceiling >= 0 && ceiling <= 1, grounding.toString()); // the tiny model's 1 x 1 grid may reach no object
        assertTrue(run.out().contains("Hallucination rate") && run.out().contains("Grid ceiling (small)"), run.out());
        JsonNode hallucination = scores.get("hallucination");
        assertEquals(grounding.get("hallucinations").asLong(), hallucination.get("hallucinations").asLong(), "the same words counted");
        assertEquals(grounding.get("mentions").asLong(), hallucination.get("mentions").asLong());
        long byKind = 0;
        for (String kind : List.of("size", "colour", "colour_and_size", "shape")) {
            byKind += hallucination.get("by_kind").get(kind).asLong();
        }
        assertEquals(hallucination.get("hallucinations").asLong(), byKind, "every hallucination has one kind: " + hallucination);
        assertTrue(run.out().contains("  wrong colour and size"), run.out());
        JsonNode byCount = scores.get("cider_by_object_count");
        assertTrue(byCount != null && byCount.size() > 0, scores.toString());
        assertTrue(run.out().contains("CIDEr, " + byCount.fieldNames().next() + " object"), run.out());
        assertOneLineError(CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "nope"), 1, "nope");
        Path missing = dir.resolve("no-instances.json");
        assertOneLineError(CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--instances", missing.toString()),
                1, missing.toString());
    }

    @Test
    void packageWritesACheckpointAsAModelThatCaptions() {
        Path pkg = dir.resolve("packaged");
        CliRun run = CliRun.of("package", "--checkpoint", data.resolve("run/checkpoints").toString(), "--encoder", "resnet18@32",
                "--out", pkg.toString(), "--storage", "float16");
        assertEquals(0, run.exit(), run.toString());
        CliRun caption = CliRun.of("caption", "--model", pkg.toString(), image(1).toString());
        assertEquals(0, caption.exit(), caption.toString());
        assertTrue(caption.out().startsWith(image(1).toString() + ": "), caption.out());
        assertOneLineError(CliRun.of("package", "--checkpoint", dir.resolve("none").toString(), "--encoder", "resnet18@32",
                "--out", pkg.toString()), 1, "no such checkpoint folder");
        assertOneLineError(CliRun.of("package", "--checkpoint", data.resolve("run/checkpoints").toString(), "--encoder", "resnet18@32",
                "--out", pkg.toString(), "--storage", "int8"), 2, "--storage");
    }

    private static void copy(Path from, Path to) throws IOException {
        FileTrees.delete(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
