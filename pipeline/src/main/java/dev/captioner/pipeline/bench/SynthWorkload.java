package dev.captioner.pipeline.bench;

import dev.captioner.data.FileTrees;
import dev.captioner.data.synth.SynthScenes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes 500 synth-scenes images at 224² (JPEG) with their JSON files, on every processor, into a
 * temporary folder: drawing, encoding and writing are all timed.
 */
final class SynthWorkload implements Workload {
    private static final int IMAGES = 500;

    private final String format;
    private Path dir;
    private int run;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    SynthWorkload(String format) {
        this.format = format;
    }

    @Override
    public String name() {
        return "synth-scenes-224" + (format.equals("jpg") ? "" : "-" + format);
    }

    @Override
    public String description() {
        return IMAGES + " synth-scenes images at 224x224 (" + format + "), drawn and written with their JSON";
    }

    @Override
    public int defaultIterations() {
        return 5;
    }

    @Override
    public int imagesPerIteration() {
        return IMAGES;
    }

    @Override
    public void prepare() throws IOException {
        dir = Files.createTempDirectory("bench-synth");
    }

    @Override
    public void iterate() throws IOException {
        Path out = dir.resolve("run" + run++);
        SynthScenes.builder().setImages(IMAGES).optImageFormat(format).optSeed(run).build().write(out, done -> { });
        long bytes;
        try (Stream<Path> files = Files.list(out.resolve(SynthScenes.IMAGE_DIR))) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        figures.put("kb_per_image", Math.round(bytes / 1024.0 / IMAGES * 10) / 10.0);
        FileTrees.delete(out);
    }

    @Override
    public Map<String, Object> extraFigures() {
        return figures;
    }

    @Override
    public void close() throws IOException {
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
