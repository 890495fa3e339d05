package dev.captioner.data.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Times {@link SynthScenes#write}: images drawn, encoded and written, JSON files included, into a
 * temporary folder that is deleted afterwards. Not a unit test; run it by hand:
 *
 * <pre>
 * java -cp datasets/target/classes:datasets/target/test-classes:CLASSPATH dev.captioner.data.synth.SynthBenchmark [images] [size] [jpg|png] [threads]
 * </pre>
 *
 * Defaults: 2000 images, 224 pixels, jpg, every processor. A first run of 200 images warms the JIT up
 * and is not counted.
 */
public final class SynthBenchmark {
    private SynthBenchmark() {}

    public static void main(String[] args) throws IOException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : SynthScenes.DEFAULT_SIZE;
        String format = args.length > 2 ? args[2] : SynthScenes.DEFAULT_IMAGE_FORMAT;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("synth-benchmark");
        try {
            SynthScenes.builder().setImages(200).optSize(size).optImageFormat(format).optThreads(threads).optSeed(1).build()
                    .write(dir.resolve("warmup"), done -> { });
            SynthScenes scenes = SynthScenes.builder().setImages(images).optSize(size).optImageFormat(format)
                    .optThreads(threads).optSeed(2).build();
            SynthSummary summary = scenes.write(dir.resolve("run"), done -> { });
            long bytes;
            try (Stream<Path> files = Files.list(dir.resolve("run").resolve(SynthScenes.IMAGE_DIR))) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "synth-scenes: %d images, %dx%d %s, %d thread(s): %.2f s, %.0f images/s, %.1f KB per image%n",
                    images, size, size, format, threads, summary.elapsed().toNanos() / 1e9, summary.imagesPerSecond(),
                    bytes / 1024.0 / images);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
