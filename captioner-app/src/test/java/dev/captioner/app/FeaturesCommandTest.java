package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.encoder.cache.FeatureCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeScenes() {
        assertEquals(0, CliRun.of("synth", "--out", data.toString(), "--images", "12", "--size", "64", "--seed", "4").exit());
    }

    @Test
    void extractsEveryImageAndResumesWithWhatIsMissing() throws IOException {
        // A first run over half the images stands for a run that stopped half way.
        KarpathySplit full = KarpathySplit.read(data.resolve("dataset_synth.json"));
        Path half = data.resolve("half.json");
        new KarpathySplit(full.dataset(), full.images().subList(0, 6)).write(half);
        Path cache = dir.resolve("cache");
        CliRun first = CliRun.of("features", "--data", half.toString(), "--images", data.toString(), "--encoder", "resnet18@32",
                "--out", cache.toString(), "--batch", "4");
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("6 to extract"), first.out());
        float[] before = new float[512];
        try (FeatureCache c = FeatureCache.open(cache)) {
            assertEquals(6, c.size());
            c.readPooled(0, before);
        }

        CliRun second = CliRun.of("features", "--data", data.toString(), "--encoder", "resnet18@32", "--out", cache.toString());
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.out().contains("12 images, 6 already cached, 6 to extract"), second.out());
        try (FeatureCache c = FeatureCache.open(cache)) {
            assertEquals(12, c.size());
            assertEquals(1, c.layout().locations(), "32 pixels through ResNet-18 leave a 1x1 grid");
            float[] after = new float[512];
            c.readPooled(0, after);
            assertArrayEquals(before, after, "cached features are kept, not recomputed");
        }
    }

    @Test
    void unreadableImagesAreSkippedAndReported() throws IOException {
        Path copy = dir.resolve("data");
        Files.createDirectories(copy.resolve("images"));
        for (String name : new String[] {"dataset_synth.json"}) {
            Files.copy(data.resolve(name), copy.resolve(name));
        }
        try (var files = Files.list(data.resolve("images"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve("images").resolve(f.getFileName()));
            }
        }
        Files.writeString(copy.resolve("images/000002.jpg"), "this is text, not a JPEG");
        Files.write(copy.resolve("images/000005.jpg"), new byte[0]);
        CliRun run = CliRun.of("features", "--data", copy.toString(), "--encoder", "resnet18@32", "--out", dir.resolve("c").toString());
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("skipped " + copy.resolve("images/000002.jpg") + ": not an image"), run.err());
        assertTrue(run.err().contains("skipped " + copy.resolve("images/000005.jpg")), run.err());
        assertTrue(run.out().contains("cached 10 images"), run.out());
    }

    @Test
    void aCacheOfAnotherEncoderIsRefused() {
        Path cache = dir.resolve("cache");
        assertEquals(0, CliRun.of("features", "--data", data.toString(), "--encoder", "resnet18@32", "--out", cache.toString()).exit());
        CliRun other = CliRun.of("features", "--data", data.toString(), "--encoder", "vgg11@32", "--out", cache.toString());
        assertEquals(1, other.exit(), other.toString());
        assertTrue(other.err().contains("give another cache folder"), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
    }

    @Test
    void badSpecsAreUsageErrors() {
        CliRun run = CliRun.of("features", "--data", data.toString(), "--encoder", "alexnet", "--out", dir.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("encoder 'alexnet': unknown encoder"), run.err());
        CliRun storage = CliRun.of("features", "--data", data.toString(), "--encoder", "resnet18", "--out", dir.toString(),
                "--storage", "int8");
        assertEquals(2, storage.exit(), storage.toString());
    }
}
