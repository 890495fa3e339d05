package dev.captioner.pipeline.bench;

import dev.captioner.pipeline.model.Captioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The end-to-end latency of captioning one image with the bundled model package: decode the JPEG,
 * preprocess, encode, beam search with K = 3; the median of the iterations is the p50. The images are
 * the repository's samples, taken in turn; the package and the images are read in {@link #prepare}.
 * Run from the repository root (the package is {@code models/synth-att-lstm}, the images {@code samples/}).
 */
final class CaptionLatencyWorkload implements Workload {
    private static final Path MODEL = Path.of("models", "synth-att-lstm");
    private static final Path SAMPLES = Path.of("samples");

    private Captioner captioner;
    private List<Path> images;
    private int next;
    private String lastCaption;

    @Override
    public String name() {
        return "caption-one-image-beam3";
    }

    @Override
    public String description() {
        return "caption one JPEG end to end with the bundled model (decode, encode, beam search K=3); run from the repository root";
    }

    @Override
    public int defaultIterations() {
        return 30;
    }

    @Override
    public int imagesPerIteration() {
        return 1;
    }

    @Override
    public void prepare() throws Exception {
        if (!Files.isDirectory(MODEL) || !Files.isDirectory(SAMPLES)) {
            throw new IllegalStateException("needs " + MODEL + " and " + SAMPLES + ": run it from the repository root");
        }
        try (Stream<Path> files = Files.list(SAMPLES)) {
            images = files.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
        captioner = Captioner.load(MODEL, Captioner.Options.builder().optBeamSize(3).optBatchSize(1).build());
    }

    @Override
    public void iterate() throws Exception {
        lastCaption = captioner.caption(images.get(next++ % images.size())).text();
    }

    @Override
    public Map<String, Object> extraFigures() {
        return Map.of("last_caption", lastCaption == null ? "" : lastCaption, "images", images == null ? 0 : images.size());
    }

    @Override
    public void close() {
        if (captioner != null) {
            captioner.close();
        }
    }
}
