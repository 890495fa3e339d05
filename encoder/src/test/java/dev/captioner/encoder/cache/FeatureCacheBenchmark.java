package dev.captioner.encoder.cache;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes a COCO-like feature cache (ResNet at 448²: 14×14 grid, 512 channels, float16; 201,728 bytes a
 * record, 1.0 GB for the default 5,000 images) with a small heap, then reads random batches of 32
 * back, and prints write MB/s, read records/s and batches/s, and the heap used; then deletes the cache.
 * Not a unit test (surefire runs only {@code *Test}). Run it from the repository root with a heap far
 * smaller than the cache, to show that the features are not held on the heap:
 *
 * <pre>{@code
 * mvn -B -q -o -pl encoder test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -Xmx256m -Dai.djl.offline=true \
 *     -cp encoder/target/test-classes:encoder/target/classes:$(cat encoder/target/test-classpath.txt) \
 *     dev.captioner.encoder.cache.FeatureCacheBenchmark [records [folder-for-the-temporary-cache]]
 * }</pre>
 *
 * Reads follow the writes, so the file is usually still in the page cache: the read figures are those
 * of a cache that fits in RAM, not of one read from disk. Output: readable lines, then one JSON line.
 */
public final class FeatureCacheBenchmark {
    private static final int BATCH = 32;
    private static final int WARMUP_BATCHES = 3;
    private static final int ROUNDS = 3;
    private static final int BATCHES_PER_ROUND = 100;

    private FeatureCacheBenchmark() {}

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path parent = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(parent, "feature-cache-bench-");
        try {
            run(records, dir);
        } finally {
            delete(dir);
        }
    }

    private static void run(int records, Path dir) throws IOException {
        CacheLayout layout = CacheLayout.builder().setGrid(14, 14).setChannels(512)
                .setEncoder("benchmark: random ReLU-like values").optStorage(StorageType.FLOAT16).build();
        SplittableRandom random = new SplittableRandom(1);
        float[][] grids = new float[4][layout.gridValues()];
        float[][] pooleds = new float[4][layout.channels()];
        for (int k = 0; k < 4; k++) {
            fill(grids[k], random);
            fill(pooleds[k], random);
        }
        resetPeaks();
        long bytes = (long) records * layout.recordBytes();
        System.out.printf(Locale.ROOT, "layout %s, %,d bytes a record; %,d records = %.2f GB in %s; max heap %d MB%n",
                layout, layout.recordBytes(), records, bytes / 1e9, dir, Runtime.getRuntime().maxMemory() >> 20);

        long start = System.nanoTime();
        try (FeatureCache cache = FeatureCache.create(dir, layout)) {
            for (int id = 0; id < records; id++) {
                cache.put(id, grids[id % 4], pooleds[id % 4]);
            }
        } // the last commit
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        double writeMbPerSecond = bytes / 1e6 / writeSeconds;
        System.out.printf(Locale.ROOT, "write: %.2f s, %.0f MB/s, %.0f records/s (float16 conversion, commits every %d)%n",
                writeSeconds, writeMbPerSecond, records / writeSeconds, FeatureCache.DEFAULT_COMMIT_EVERY);

        // Rounds alternate the two ways of reading, so that JIT warm-up and a busy machine weigh on both.
        double[] intoArrayMillis = new double[ROUNDS * BATCHES_PER_ROUND];
        double[] batchMillis = new double[ROUNDS * BATCHES_PER_ROUND];
        try (FeatureCache cache = FeatureCache.open(dir); NDManager manager = NDManager.newBaseManager()) {
            float[] grid = new float[BATCH * layout.gridValues()];
            float[] pooled = new float[BATCH * layout.channels()];
            for (int b = 0; b < WARMUP_BATCHES; b++) {
                readInto(cache, randomIds(random, records), grid, pooled);
                cache.batch(manager, randomIds(random, records)).close();
            }
            for (int round = 0, k = 0; round < ROUNDS; round++) {
                for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                    List<Long> ids = randomIds(random, records);
                    long t = System.nanoTime();
                    readInto(cache, ids, grid, pooled); // straight into a caller's arrays
                    intoArrayMillis[k + b] = (System.nanoTime() - t) / 1e6;
                }
                for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                    List<Long> ids = randomIds(random, records);
                    long t = System.nanoTime();
                    NDList batch = cache.batch(manager, ids); // (32, 196, 512) and (32, 512)
                    batchMillis[k + b] = (System.nanoTime() - t) / 1e6;
                    batch.close();
                }
                k += BATCHES_PER_ROUND;
            }
        }
        double[] into = stats(intoArrayMillis);
        double recordsPerSecond = BATCH / (into[3] / 1e3);
        System.out.printf(Locale.ROOT, "read %d records into float[]: median %.2f ms (p10 %.2f, p90 %.2f);"
                + " %.0f records/s, %.0f MB/s of float16 on disk%n", BATCH, into[0], into[1], into[2],
                recordsPerSecond, recordsPerSecond * layout.recordBytes() / 1e6);
        double[] sorted = stats(batchMillis);
        double batchesPerSecond = 1e3 / sorted[3];
        System.out.printf(Locale.ROOT, "batch of %d as NDArrays: median %.2f ms (p10 %.2f, p90 %.2f);"
                + " %.1f batches/s, %.0f records/s%n", BATCH, sorted[0], sorted[1], sorted[2],
                batchesPerSecond, batchesPerSecond * BATCH);

        long peakHeap = peakHeap();
        System.gc();
        long usedHeap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf(Locale.ROOT, "heap: peak %d MB, %d MB after GC, of %d MB max (the cache file: %d MB)%n",
                peakHeap >> 20, usedHeap >> 20, Runtime.getRuntime().maxMemory() >> 20, bytes >> 20);
        System.out.printf(Locale.ROOT, "{\"workload\": \"feature-cache-14x14x512-float16\", \"records\": %d, \"file_bytes\": %d,"
                + " \"write_s\": %.3f, \"write_mb_per_s\": %.1f, \"read_records_per_s\": %.1f,"
                + " \"batch_size\": %d, \"batch_median_ms\": %.3f, \"batch_p10_ms\": %.3f, \"batch_p90_ms\": %.3f,"
                + " \"batches_per_s\": %.2f, \"heap_peak_mb\": %d, \"heap_max_mb\": %d}%n",
                records, bytes, writeSeconds, writeMbPerSecond, recordsPerSecond, BATCH, sorted[0],
                sorted[1], sorted[2], batchesPerSecond, peakHeap >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void readInto(FeatureCache cache, List<Long> ids, float[] grid, float[] pooled) throws IOException {
        int g = cache.layout().gridValues();
        int d = cache.layout().channels();
        for (int i = 0; i < ids.size(); i++) {
            cache.readGrid(ids.get(i), grid, i * g);
            cache.readPooled(ids.get(i), pooled, i * d);
        }
    }

    /** Median, p10, p90 and mean. */
    private static double[] stats(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return new double[] {sorted[n / 2], sorted[n / 10], sorted[n * 9 / 10], Arrays.stream(sorted).average().orElse(0)};
    }

    private static List<Long> randomIds(SplittableRandom random, int records) {
        List<Long> ids = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            ids.add((long) random.nextInt(records));
        }
        return ids;
    }

    private static void fill(float[] values, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < 0.5 ? 0f : (float) (random.nextDouble() * 6);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
