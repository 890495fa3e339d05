package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path dir;

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void sameSeedGivesIdenticalFilesAndTheyScore() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        CliRun first = CliRun.of("synth", "--out", a.toString(), "--images", "24", "--seed", "5", "--size", "96");
        CliRun second = CliRun.of("synth", "--out", b.toString(), "--images", "24", "--seed", "5", "--size", "96");
        assertEquals(0, first.exit(), first.toString());
        assertEquals(0, second.exit(), second.toString());
        assertTrue(first.out().startsWith("wrote 24 images"), first.out());
        List<Path> names = files(a);
        assertEquals(names, files(b));
        assertTrue(names.containsAll(List.of(Path.of("captions.json"), Path.of("captions_train.json"), Path.of("captions_val.json"),
                Path.of("captions_test.json"), Path.of("dataset_synth.json"), Path.of("instances.json"), Path.of("images/000023.jpg"))),
                names.toString());
        for (Path name : names) {
            assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)), name.toString());
        }

        // The generated references are a valid input of score; human agreement on them is high but not perfect.
        CliRun score = CliRun.of("score", "--annotations", a.resolve("captions.json").toString(), "--human", "--json");
        assertEquals(0, score.exit(), score.toString());
        double bleu1 = new ObjectMapper().readTree(score.lastLine()).get("Bleu_1").asDouble();
        assertTrue(bleu1 > 0.3 && bleu1 < 1.0, "Bleu_1 " + bleu1);
    }

    @Test
    void anotherSeedGivesOtherImages() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, CliRun.of("synth", "--out", a.toString(), "--images", "3", "--seed", "1", "--size", "96").exit());
        assertEquals(0, CliRun.of("synth", "--out", b.toString(), "--images", "3", "--seed", "2", "--size", "96").exit());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("images/000000.jpg")),
                Files.readAllBytes(b.resolve("images/000000.jpg"))));
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun tooMany = CliRun.of("synth", "--out", dir.toString(), "--images", "3", "--max-objects", "12");
        assertEquals(2, tooMany.exit(), tooMany.toString());
        assertEquals(1, tooMany.err().strip().lines().count(), tooMany.toString());
        assertTrue(tooMany.err().contains("max"), tooMany.err());

        CliRun notANumber = CliRun.of("synth", "--out", dir.toString(), "--images", "many");
        assertEquals(2, notANumber.exit());
        assertTrue(notANumber.err().contains("Invalid value for option '--images'"), notANumber.err());

        CliRun badFormat = CliRun.of("synth", "--out", dir.toString(), "--images", "3", "--format", "gif");
        assertEquals(2, badFormat.exit());
    }
}
