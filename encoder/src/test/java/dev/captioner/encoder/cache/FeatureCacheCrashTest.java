package dev.captioner.encoder.cache;

import static dev.captioner.encoder.cache.TestFeatures.check;
import static dev.captioner.encoder.cache.TestFeatures.checkAll;
import static dev.captioner.encoder.cache.TestFeatures.layout;
import static dev.captioner.encoder.cache.TestFeatures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer that stops at any moment leaves its committed records whole, and nothing else. */
class FeatureCacheCrashTest {
    static final CacheLayout LAYOUT = layout(4, 4, 32, StorageType.FLOAT16); // 1,088 bytes a record

    @TempDir
    Path tmp;

    @Test
    void recordsAfterTheLastCommitAreGoneAndWrittenAgainOnResume() throws IOException {
        Path dir = tmp.resolve("cache");
        FeatureCache cache = FeatureCache.create(dir, LAYOUT, 1000);
        for (long id = 0; id < 10; id++) {
            put(cache, id);
        }
        cache.commit();
        for (long id = 10; id < 15; id++) {
            put(cache, id);
        }
        cache.abandon(); // as kill -9: no commit, no close
        assertEquals(15L * LAYOUT.recordBytes(), Files.size(dir.resolve("features.bin"))); // the tail is there...

        try (FeatureCache resumed = FeatureCache.open(dir)) {
            checkAll(resumed, 0, 10); // ...but does not count
            assertFalse(resumed.contains(10));
            assertFalse(resumed.contains(14));
            assertEquals(15L * LAYOUT.recordBytes(), Files.size(dir.resolve("features.bin"))); // open changes nothing
            for (long id = 10; id < 15; id++) {
                put(resumed, id);
            }
        }
        try (FeatureCache cache2 = FeatureCache.open(dir)) {
            checkAll(cache2, 0, 15);
        }
        assertEquals(15L * LAYOUT.recordBytes(), Files.size(dir.resolve("features.bin")));
        assertEquals(15L * 8, Files.size(dir.resolve("index.bin")));
    }

    /** Killed inside commit(), after data and ids were forced but before cache.json was replaced. */
    @Test
    void aCommitInterruptedBeforeCacheJsonCountsNothing() throws IOException {
        Path dir = tmp.resolve("cache");
        FeatureCache cache = FeatureCache.create(dir, LAYOUT, 1000);
        for (long id = 0; id < 6; id++) {
            put(cache, id);
        }
        cache.commit();
        for (long id = 100; id < 104; id++) {
            put(cache, id);
        }
        cache.flushUncounted();
        cache.abandon();
        assertEquals(10L * 8, Files.size(dir.resolve("index.bin")));

        try (FeatureCache resumed = FeatureCache.open(dir)) {
            checkAll(resumed, 0, 6);
            assertFalse(resumed.contains(100));
            // Other images take the uncounted slots; their ids replace the uncounted ones in the index.
            for (long id = 6; id < 9; id++) {
                put(resumed, id);
            }
        }
        try (FeatureCache reopened = FeatureCache.open(dir)) {
            checkAll(reopened, 0, 9);
            assertFalse(reopened.contains(100));
            assertFalse(reopened.contains(103));
        }
        assertEquals(9L * 8, Files.size(dir.resolve("index.bin")));
    }

    @Test
    void autoCommitsSurviveAnAbandonedWriter() throws IOException {
        Path dir = tmp.resolve("cache");
        FeatureCache cache = FeatureCache.create(dir, LAYOUT, 4);
        for (long id = 0; id < 10; id++) {
            put(cache, id);
        }
        assertEquals(8, cache.committedSize());
        cache.abandon();
        try (FeatureCache resumed = FeatureCache.open(dir)) {
            checkAll(resumed, 0, 8);
        }
    }

    /**
     * The real thing: a child JVM writes as fast as it can, committing every 5 records, and is killed
     * with SIGKILL at an arbitrary moment, perhaps in the middle of a record or a commit.
     */
    @Test
    void aWriterKilledWithSigkillLeavesOnlyWholeCommittedRecords() throws Exception {
        Path dir = tmp.resolve("cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        int reported = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (reported < 40 && (line = out.readLine()) != null) {
                assertTrue(line.startsWith("committed "), line);
                reported = Integer.parseInt(line.substring("committed ".length()));
            }
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(reported >= 40, "the child reported " + reported + " commits");

        int committed;
        try (FeatureCache resumed = FeatureCache.open(dir)) {
            committed = resumed.size();
            assertTrue(committed >= reported, committed + " < " + reported);
            assertEquals(0, committed % CrashingWriter.COMMIT_EVERY);
            checkAll(resumed, 0, committed);
            for (long id = committed; id < committed + 7; id++) {
                put(resumed, id);
            }
        }
        try (FeatureCache reopened = FeatureCache.open(dir)) {
            checkAll(reopened, 0, committed + 7);
            check(reopened, committed + 6);
        }
    }
}
