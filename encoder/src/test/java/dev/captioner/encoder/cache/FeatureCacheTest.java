package dev.captioner.encoder.cache;

import static dev.captioner.encoder.cache.TestFeatures.check;
import static dev.captioner.encoder.cache.TestFeatures.grid;
import static dev.captioner.encoder.cache.TestFeatures.layout;
import static dev.captioner.encoder.cache.TestFeatures.pooled;
import static dev.captioner.encoder.cache.TestFeatures.put;
import static dev.captioner.encoder.cache.TestFeatures.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    @TempDir
    Path tmp;

    @Test
    void float32RoundTripIsExact() throws IOException {
        CacheLayout layout = layout(2, 3, 5, StorageType.FLOAT32);
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            for (long id = 10; id < 20; id++) {
                put(cache, id);
            }
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            assertEquals(layout, cache.layout());
            assertEquals(10, cache.size());
            assertEquals(10, cache.committedSize());
            assertArrayEquals(new long[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, cache.imageIds());
            for (long id = 10; id < 20; id++) {
                float[] grid = new float[layout.gridValues()];
                cache.readGrid(id, grid);
                assertArrayEquals(grid(layout, id), grid);
                float[] pooled = new float[layout.channels()];
                cache.readPooled(id, pooled);
                assertArrayEquals(pooled(layout, id), pooled);
            }
        }
        assertEquals(10L * (6 + 1) * 5 * 4, Files.size(dir.resolve("features.bin")));
        assertEquals(10L * 8, Files.size(dir.resolve("index.bin")));
    }

    @Test
    void float16RoundTripIsWithinHalfPrecision() throws IOException {
        CacheLayout layout = layout(7, 7, 16, StorageType.FLOAT16);
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            for (long id = 0; id < 20; id++) {
                put(cache, id);
            }
        }
        assertEquals(20L * 50 * 16 * 2, Files.size(dir.resolve("features.bin")));
        try (FeatureCache cache = FeatureCache.open(dir)) {
            for (long id = 0; id < 20; id++) {
                check(cache, id); // exactly the nearest halves
                float[] original = grid(layout, id);
                float[] read = new float[layout.gridValues()];
                cache.readGrid(id, read);
                for (int i = 0; i < read.length; i++) {
                    // Half a unit in the last place: 2^-11 relative, 2^-25 absolute in the subnormals.
                    double bound = Math.max(Math.abs(original[i]) * 0x1p-11, 0x1p-25);
                    assertTrue(Math.abs(read[i] - original[i]) <= bound, original[i] + " read back as " + read[i]);
                }
            }
        }
    }

    @Test
    void readsSeeRecordsBeforeTheyAreCommittedAndFillFloatBuffers() throws IOException {
        CacheLayout layout = layout(2, 2, 4, StorageType.FLOAT16);
        try (FeatureCache cache = FeatureCache.create(tmp.resolve("cache"), layout, 1000)) {
            for (long id = 0; id < 5; id++) {
                put(cache, id);
                check(cache, id);
            }
            assertEquals(0, cache.committedSize());
            FloatBuffer buffer = FloatBuffer.allocate(layout.recordValues() + 3);
            buffer.put(-1f);
            cache.readGrid(3, buffer);
            cache.readPooled(3, buffer);
            assertEquals(1 + layout.recordValues(), buffer.position());
            float[] record = new float[layout.recordValues() + 1];
            buffer.flip().position(1);
            buffer.get(record, 1, layout.recordValues());
            float[] expected = new float[layout.recordValues() + 1];
            System.arraycopy(stored(layout, grid(layout, 3)), 0, expected, 1, layout.gridValues());
            System.arraycopy(stored(layout, pooled(layout, 3)), 0, expected, 1 + layout.gridValues(), layout.channels());
            assertArrayEquals(expected, record);
            float[] withOffset = new float[layout.channels() + 2];
            cache.readPooled(3, withOffset, 2);
            assertArrayEquals(stored(layout, pooled(layout, 3)), java.util.Arrays.copyOfRange(withOffset, 2, withOffset.length));
            cache.commit();
            assertEquals(5, cache.committedSize());
        }
    }

    @Test
    void anImageIsWrittenOnce() throws IOException {
        CacheLayout layout = layout(1, 2, 3, StorageType.FLOAT32);
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            assertFalse(cache.contains(7));
            put(cache, 7);
            assertTrue(cache.contains(7));
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> put(cache, 7));
            assertTrue(twice.getMessage().contains("image 7 is already in the feature cache"), twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cache.put(8, new float[5], new float[3]));
            assertThrows(IllegalArgumentException.class, () -> cache.put(8, new float[6], new float[4]));
            assertFalse(cache.contains(8));
            assertEquals(1, cache.size());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> cache.readGrid(8, new float[6]));
            assertTrue(missing.getMessage().contains("image 8 is not in the feature cache"), missing.getMessage());
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            assertTrue(cache.contains(7));
            assertThrows(IllegalArgumentException.class, () -> put(cache, 7));
            check(cache, 7);
        }
        FeatureCache closed = FeatureCache.open(dir);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.readGrid(7, new float[6]));
        assertThrows(IllegalStateException.class, () -> put(closed, 9));
    }

    @Test
    void batchesAreDjlArraysOfTheRightShapesAndValues() throws IOException {
        CacheLayout layout = layout(3, 2, 4, StorageType.FLOAT16);
        int l = layout.locations();
        int d = layout.channels();
        try (NDManager manager = NDManager.newBaseManager();
                FeatureCache cache = FeatureCache.create(tmp.resolve("cache"), layout)) {
            for (long id = 1; id <= 4; id++) {
                put(cache, id);
            }
            // From DJL arrays, one image and a batch.
            cache.put(5, manager.create(grid(layout, 5), new Shape(l, d)), manager.create(pooled(layout, 5)));
            float[] grids = new float[2 * l * d];
            float[] pooleds = new float[2 * d];
            for (int b = 0; b < 2; b++) {
                System.arraycopy(grid(layout, 6 + b), 0, grids, b * l * d, l * d);
                System.arraycopy(pooled(layout, 6 + b), 0, pooleds, b * d, d);
            }
            cache.putAll(List.of(6L, 7L), manager.create(grids, new Shape(2, l, d)), manager.create(pooleds, new Shape(2, d)));
            assertThrows(IllegalArgumentException.class, () -> cache.put(8, manager.zeros(new Shape(l + 1, d)),
                    manager.zeros(new Shape(d))));
            assertThrows(IllegalArgumentException.class, () -> cache.put(8, manager.zeros(new Shape(l, d), DataType.FLOAT64),
                    manager.zeros(new Shape(d))));

            List<Long> ids = List.of(3L, 7L, 1L, 3L, 5L);
            NDList batch = cache.batch(manager, ids);
            NDArray grid = batch.get(0);
            NDArray pooled = batch.get(1);
            assertEquals(new Shape(5, l, d), grid.getShape());
            assertEquals(new Shape(5, d), pooled.getShape());
            assertEquals(DataType.FLOAT32, grid.getDataType());
            assertEquals(DataType.FLOAT32, pooled.getDataType());
            float[] gridValues = grid.toFloatArray();
            float[] pooledValues = pooled.toFloatArray();
            for (int b = 0; b < ids.size(); b++) {
                long id = ids.get(b);
                assertArrayEquals(stored(layout, grid(layout, id)),
                        java.util.Arrays.copyOfRange(gridValues, b * l * d, (b + 1) * l * d), "grid row " + b);
                assertArrayEquals(stored(layout, pooled(layout, id)),
                        java.util.Arrays.copyOfRange(pooledValues, b * d, (b + 1) * d), "pooled row " + b);
            }
            // One location of one image: (b=1, location 4) is image 7's fifth row of D values.
            assertArrayEquals(java.util.Arrays.copyOfRange(stored(layout, grid(layout, 7)), 4 * d, 5 * d),
                    grid.get(1, 4).toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> cache.batch(manager, List.of(1L, 99L)));
        }
    }

    @Test
    void aBatchPutIsAllOrNothing() throws IOException {
        CacheLayout layout = layout(1, 1, 2, StorageType.FLOAT32);
        try (NDManager manager = NDManager.newBaseManager();
                FeatureCache cache = FeatureCache.create(tmp.resolve("cache"), layout)) {
            put(cache, 1);
            NDArray grid = manager.zeros(new Shape(2, 1, 2));
            NDArray pooled = manager.zeros(new Shape(2, 2));
            assertThrows(IllegalArgumentException.class, () -> cache.putAll(List.of(2L, 1L), grid, pooled));
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> cache.putAll(List.of(3L, 3L), grid, pooled));
            assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
            assertEquals(1, cache.size());
            assertFalse(cache.contains(2));
            assertFalse(cache.contains(3));
        }
    }

    @Test
    void aFolderWithAnotherLayoutIsRefused() throws IOException {
        CacheLayout layout = layout(2, 2, 4, StorageType.FLOAT16);
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            put(cache, 1);
        }
        CacheLayout otherEncoder = CacheLayout.builder().setGrid(2, 2).setChannels(4).setEncoder("resnet50@224")
                .optStorage(StorageType.FLOAT16).build();
        DataFormatException e = assertThrows(DataFormatException.class, () -> FeatureCache.create(dir, otherEncoder));
        assertEquals(dir.resolve("cache.json") + ": holds a cache of another layout (encoder \"test-cnn@32\" there,"
                + " \"resnet50@224\" asked for); use another folder, or delete this one to start again", e.getMessage());
        e = assertThrows(DataFormatException.class, () -> FeatureCache.create(dir, layout(2, 2, 4, StorageType.FLOAT32)));
        assertTrue(e.getMessage().contains("dtype float16 there, float32 asked for"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> FeatureCache.create(dir, layout(1, 4, 8, StorageType.FLOAT16)));
        assertTrue(e.getMessage().contains("grid 2x2 there, 1x4 asked for; channels 4 there, 8 asked for"), e.getMessage());
        // The same layout resumes.
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            assertEquals(1, cache.size());
            put(cache, 2);
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            TestFeatures.checkAll(cache, 1, 3);
        }
    }

    @Test
    void cacheDataWithoutCacheJsonIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        Files.write(dir.resolve("features.bin"), new byte[100]);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> FeatureCache.create(dir, layout(1, 1, 1, StorageType.FLOAT32)));
        assertTrue(e.getMessage().startsWith(dir.resolve("features.bin") + ": cache data without a cache.json"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> FeatureCache.open(tmp.resolve("nothing")));
        assertEquals(tmp.resolve("nothing").resolve("cache.json") + ": no such file", e.getMessage());
    }

    @Test
    void aBadCacheJsonIsRefusedWithOneLine() throws IOException {
        Path dir = tmp.resolve("cache");
        FeatureCache.create(dir, layout(2, 2, 4, StorageType.FLOAT16)).close();
        Path json = dir.resolve("cache.json");
        String good = Files.readString(json);
        assertTrue(good.contains("\"version\" : 1"), good);
        assertTrue(good.contains("\"record_bytes\" : 40"), good);

        assertRefused(dir, good.replace("\"version\" : 1", "\"version\" : 2"),
                "feature cache version 2 is not supported: this build reads version 1");
        assertRefused(dir, good.replace("captioner-feature-cache", "captioner-vocab/1"),
                "not a feature cache: expected \"format\": \"captioner-feature-cache\", found \"captioner-vocab/1\"");
        assertRefused(dir, good.replace("\"record_bytes\" : 40", "\"record_bytes\" : 80"),
                "\"record_bytes\" is 80, but (locations + 1) x channels x 2 bytes is 40");
        assertRefused(dir, good.replace("\"locations\" : 4", "\"locations\" : 5"),
                "\"locations\" is 5, but grid_height x grid_width is 4");
        assertRefused(dir, good.replace("float16", "bfloat16"), "unknown \"dtype\" \"bfloat16\": expected float32 or float16");
        assertRefused(dir, good.replace("\"records\" : 0", "\"records\" : -1"), "\"records\" is out of range: -1");
        assertRefused(dir, good.replaceAll(",\\s*\"channels\" : 4", ""), "missing field \"channels\"");
        assertRefused(dir, good.replace("\"channels\" : 4", "\"channels\" : \"4\""), "\"channels\" must be a whole number");
        assertRefused(dir, good.substring(0, good.length() / 2), "malformed JSON");
        Files.writeString(json, good);
        FeatureCache.open(dir).close();
    }

    private static void assertRefused(Path dir, String json, String problem) throws IOException {
        Files.writeString(dir.resolve("cache.json"), json, StandardCharsets.UTF_8);
        DataFormatException e = assertThrows(DataFormatException.class, () -> FeatureCache.open(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("cache.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void dataFilesShorterThanTheCommittedRecordsAreRefused() throws IOException {
        CacheLayout layout = layout(2, 2, 4, StorageType.FLOAT16); // 40 bytes a record
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            for (long id = 0; id < 5; id++) {
                put(cache, id);
            }
        }
        Path features = dir.resolve("features.bin");
        truncate(features, 4 * 40 + 20); // half way through the fifth record
        DataFormatException e = assertThrows(DataFormatException.class, () -> FeatureCache.open(dir));
        assertEquals(features + ": holds 180 bytes, but cache.json commits 5 records of 40 bytes (200 bytes):"
                + " the file was cut short or replaced", e.getMessage());

        try (FeatureCache cache = FeatureCache.create(tmp.resolve("second"), layout)) {
            for (long id = 0; id < 5; id++) {
                put(cache, id);
            }
        }
        Path index = tmp.resolve("second").resolve("index.bin");
        truncate(index, 36);
        e = assertThrows(DataFormatException.class, () -> FeatureCache.open(tmp.resolve("second")));
        assertEquals(index + ": holds 36 bytes, but cache.json commits 5 image ids of 8 bytes (40 bytes):"
                + " the file was cut short or replaced", e.getMessage());

        Files.delete(index);
        e = assertThrows(DataFormatException.class, () -> FeatureCache.open(tmp.resolve("second")));
        assertEquals(index + ": missing: the cache's cache.json is there but this file is not", e.getMessage());
    }

    @Test
    void aDuplicateIdInTheIndexIsCorruption() throws IOException {
        Path dir = tmp.resolve("cache");
        try (FeatureCache cache = FeatureCache.create(dir, layout(1, 1, 1, StorageType.FLOAT32))) {
            put(cache, 5);
            put(cache, 6);
        }
        byte[] index = Files.readAllBytes(dir.resolve("index.bin"));
        System.arraycopy(index, 0, index, 8, 8);
        Files.write(dir.resolve("index.bin"), index);
        DataFormatException e = assertThrows(DataFormatException.class, () -> FeatureCache.open(dir));
        assertTrue(e.getMessage().endsWith("index.bin: image id 5 is in records 0 and 1: the index is corrupt"), e.getMessage());
    }

    /** 3,000 images with random ids, read back in random order through about 430 mappings of 7 records. */
    @Test
    void thousandsOfRandomIdsReadBackAcrossManyMappings() throws IOException {
        CacheLayout layout = layout(2, 2, 8, StorageType.FLOAT16); // 80 bytes a record
        Path dir = tmp.resolve("cache");
        Random random = new Random(42);
        Set<Long> unique = new LinkedHashSet<>();
        while (unique.size() < 3000) {
            unique.add(random.nextLong());
        }
        List<Long> ids = new ArrayList<>(unique);
        try (FeatureCache cache = FeatureCache.create(dir, layout, 128)) {
            for (long id : ids) {
                put(cache, id);
            }
            assertEquals(23 * 128, cache.committedSize());
        }
        try (FeatureCache cache = FeatureCache.open(dir, 128, 7 * 80 + 13)) {
            assertEquals(3000, cache.size());
            long[] order = cache.imageIds();
            for (int i = 0; i < order.length; i++) {
                assertEquals(ids.get(i), order[i]);
            }
            for (int i = 0; i < 5000; i++) {
                check(cache, ids.get(random.nextInt(ids.size())));
            }
            assertFalse(cache.contains(random.nextLong()));
        }
    }

    @Test
    void onlyOneWriterAtATime() throws IOException {
        Path dir = tmp.resolve("cache");
        CacheLayout layout = layout(1, 1, 2, StorageType.FLOAT32);
        FeatureCache.create(dir, layout).close();
        try (FeatureCache first = FeatureCache.open(dir); FeatureCache second = FeatureCache.open(dir)) {
            put(first, 1);
            IOException e = assertThrows(IOException.class, () -> put(second, 2));
            assertTrue(e.getMessage().contains("open for writing elsewhere"), e.getMessage());
            assertFalse(second.contains(1)); // opened before 1 was put
            check(first, 1);
        }
        // A reader that opened before a writer committed cannot write over the newer records.
        try (FeatureCache stale = FeatureCache.open(dir)) {
            try (FeatureCache writer = FeatureCache.open(dir)) {
                put(writer, 3);
            }
            IOException e = assertThrows(IOException.class, () -> put(stale, 4));
            assertTrue(e.getMessage().contains("the cache changed since it was opened (1 records then, 2 now)"), e.getMessage());
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            assertArrayEquals(new long[] {1, 3}, cache.imageIds());
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
