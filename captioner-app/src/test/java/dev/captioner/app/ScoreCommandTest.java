package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    @TempDir
    Path dir;

    private static final String CAPTIONS = "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}, {\"id\": 2, \"file_name\": \"b.jpg\"},"
            + " {\"id\": 3, \"file_name\": \"c.jpg\"}],\n\"annotations\": ["
            + "{\"id\": 1, \"image_id\": 1, \"caption\": \"A red circle to the left of a blue square.\"},"
            + "{\"id\": 2, \"image_id\": 1, \"caption\": \"a blue square and a red circle\"},"
            + "{\"id\": 3, \"image_id\": 2, \"caption\": \"Two small stars above a green triangle\"},"
            + "{\"id\": 4, \"image_id\": 2, \"caption\": \"a green triangle below two stars\"},"
            + "{\"id\": 5, \"image_id\": 3, \"caption\": \"one large yellow hexagon in the center\"},"
            + "{\"id\": 6, \"image_id\": 3, \"caption\": \"a big yellow hexagon\"}]}";

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void scoresAndPrintsJsonWithCocoNamesOnTheLastLine() throws IOException {
        Path captions = write("captions.json", CAPTIONS);
        Path results = write("results.json", "[{\"image_id\": 2, \"caption\": \"Two stars above a green triangle.\"},"
                + " {\"image_id\": 1, \"caption\": \"a red circle left of a blue square\"}]");
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("2 images scored"), run.out());
        JsonNode json = new ObjectMapper().readTree(run.lastLine());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"), keys);
        double bleu1 = json.get("Bleu_1").asDouble();
        assertTrue(bleu1 > 0.5 && bleu1 <= 1.0, "tokenized captions overlap well: " + bleu1);
        assertTrue(run.out().contains("CIDEr"), "a table is printed too");
    }

    @Test
    void identicalCaptionsScorePerfectRougeAndCider() throws IOException {
        Path captions = write("captions.json", CAPTIONS);
        Path results = write("results.json", "[{\"image_id\": 1, \"caption\": \"a red circle to the left of a blue square\"},"
                + " {\"image_id\": 2, \"caption\": \"two small stars above a green triangle\"},"
                + " {\"image_id\": 3, \"caption\": \"one large yellow hexagon in the center\"}]");
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode json = new ObjectMapper().readTree(run.lastLine());
        assertEquals(1.0, json.get("ROUGE_L").asDouble(), 1e-12, "each candidate equals one reference");
    }

    @Test
    void humanAgreementNeedsNoResults() throws IOException {
        Path captions = write("captions.json", CAPTIONS);
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--human", "--json");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("first reference (human agreement)"), run.out());
    }

    @Test
    void resultForAnUnknownImageIsAnError() throws IOException {
        Path captions = write("captions.json", CAPTIONS);
        Path results = write("results.json", "[{\"image_id\": 9, \"caption\": \"a dog\"}]");
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString());
        assertEquals(1, run.exit());
        assertEquals("captioner: " + results + ": result for image 9, which is not in " + captions, run.err().strip());
    }

    @Test
    void duplicateResultIsAnError() throws IOException {
        Path captions = write("captions.json", CAPTIONS);
        Path results = write("results.json", "[{\"image_id\": 1, \"caption\": \"a\"},\n{\"image_id\": 1, \"caption\": \"b\"}]");
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(results + ":2:1: duplicate result for image 1"), run.err());
    }

    @Test
    void badInputGivesOneLineNamingFileAndPlaceAndNoStackTrace() throws IOException {
        Path results = write("results.json", "[{\"image_id\": 1, \"caption\": \"a\"}]");
        List<String[]> cases = List.of(
                new String[] {"malformed.json", "{\"images\": [\n{\"id\": 1 \"file_name\": \"a.jpg\"}]}", ":2:", "malformed JSON"},
                new String[] {"missing.json", "{\"images\": [{\"id\": 1}], \"annotations\": []}", ":1:", "has no \"file_name\""},
                new String[] {"type.json", "{\"images\": [{\"id\": 1, \"file_name\": 7}], \"annotations\": []}", ":1:",
                        "\"file_name\" must be a string"},
                new String[] {"nocaption.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": []}", ":1:",
                        "image 1 (a.jpg) has no captions"},
                new String[] {"empty.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\":"
                        + " [{\"image_id\": 1, \"caption\": \"\"}]}", ":1:", "empty caption for image 1"});
        for (String[] c : cases) {
            Path captions = write(c[0], c[1]);
            CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString());
            assertEquals(1, run.exit(), run.toString());
            String err = run.err().strip();
            assertEquals(1, err.lines().count(), run.toString());
            assertTrue(err.startsWith("captioner: " + captions + c[2]), err);
            assertTrue(err.contains(c[3]), err);
            assertFalse(err.contains("at dev.captioner"), "no stack trace");
        }
    }

    @Test
    void notUtf8IsAnError() throws IOException {
        Path captions = dir.resolve("latin1.json");
        Files.write(captions, CAPTIONS.replace("A red", "\u00c0 red").getBytes(StandardCharsets.ISO_8859_1));
        Path results = write("results.json", "[{\"image_id\": 1, \"caption\": \"a\"}]");
        CliRun run = CliRun.of("score", "--annotations", captions.toString(), "--results", results.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("not valid UTF-8"), run.err());
        assertTrue(run.err().startsWith("captioner: " + captions + ":2:"), run.err());
    }

    @Test
    void verbosePrintsTheStackTrace() throws IOException {
        Path captions = write("bad.json", "{");
        CliRun run = CliRun.of("--verbose", "score", "--annotations", captions.toString(), "--human");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("at dev.captioner"), run.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun unknown = CliRun.of("score", "--frobnicate");
        assertEquals(2, unknown.exit());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.toString());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
        assertTrue(unknown.err().contains("see 'captioner score --help'"), unknown.err());

        CliRun missing = CliRun.of("score", "--results", "r.json");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Missing required option: '--annotations=CAPTIONS.json'"), missing.err());

        CliRun both = CliRun.of("score", "--annotations", "a.json", "--results", "r.json", "--human");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        CliRun unknownCommand = CliRun.of("frobnicate");
        assertEquals(2, unknownCommand.exit());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("synth", "score", "info", "bench")) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exit(), command);
            assertTrue(run.out().contains("Usage: captioner " + command), run.out());
        }
    }

    @Test
    void missingFileIsNamed() {
        CliRun run = CliRun.of("score", "--annotations", dir.resolve("nope.json").toString(), "--human");
        assertEquals(1, run.exit());
        assertEquals("captioner: " + dir.resolve("nope.json") + ": no such file", run.err().strip());
    }
}
