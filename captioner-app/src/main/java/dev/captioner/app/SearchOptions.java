package dev.captioner.app;

import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The model and search options that {@code caption} and {@code evaluate} share, as a Picocli mixin with one
 * set of checks: which packages (several make an ensemble that searches the mean of their next-word
 * distributions), beam search or sampling, lengths, batch and device. They map once onto
 * {@link Captioner.Options}.
 */
final class SearchOptions {
    private static final int DEFAULT_BEAM = 3;

    @Option(names = "--model", paramLabel = "PKG",
            description = "A model package folder or zip (default: the bundled synth-att-lstm, carried in the jar). Give it again for an ensemble: the search runs on the mean of the members' next-word distributions; they must share one vocabulary and one encoder.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--beam", paramLabel = "K", description = "Beam size; 1 is greedy search (default: " + DEFAULT_BEAM + "; 1 with --sample).")
    Integer beam;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "20", description = "The most words a caption gets (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Images encoded and searched together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--sample", description = "Draw each caption from the model's distribution instead of searching for the most likely one.")
    boolean sample;

    @Option(names = "--temperature", paramLabel = "T", description = "With --sample: log-probabilities are divided by T (default: 1; below 1 leans to likely words).")
    Float temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "With --sample: draw among the K most likely words only (default: 0, the whole vocabulary).")
    Integer topK;

    @Option(names = "--seed", paramLabel = "S", description = "With --sample: the seed of the draws, for repeatable captions (default: a new one each run).")
    Long seed;

    @Mixin
    DeviceOption device = new DeviceOption();

    /** The packages named, or the bundled one. */
    List<Path> packages() throws IOException {
        return models.isEmpty() ? List.of(BundledModel.locate()) : List.copyOf(models);
    }

    /** Whether no --model was given, so the bundled model captions. */
    boolean bundled() {
        return models.isEmpty();
    }

    /** What captions: the package, or the members of an ensemble, as the user named them. */
    String describeModels() {
        if (models.isEmpty()) {
            return BundledModel.LABEL;
        }
        String names = models.stream().map(Path::toString).collect(Collectors.joining(" + "));
        return models.size() == 1 ? names : names + " (an ensemble of " + models.size() + ")";
    }

    /**
     * The options, where a bad value or combination is a usage error (exit 2).
     *
     * @param nBest captions per image
     */
    Captioner.Options options(CommandSpec spec, int nBest) {
        if (!sample && (temperature != null || topK != null || seed != null)) {
            throw new ParameterException(spec.commandLine(), "--temperature, --top-k and --seed go with --sample");
        }
        try {
            Captioner.Options.Builder options = Captioner.Options.builder().optBeamSize(beam != null ? beam : sample ? 1 : DEFAULT_BEAM)
                    .optNBest(nBest).optMaxLength(maxLength).optBatchSize(batch).optDevice(device.device(spec));
            if (sample) {
                options.optSampling(new Captioner.Sampling(temperature == null ? 1f : temperature, topK == null ? 0 : topK,
                        seed != null ? seed : new SplittableRandom().nextLong()));
            }
            return options.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (sample && beam != null && beam != 1 ? "--sample: " : "") + e.getMessage());
        }
    }

    /** The search in words: greedy, beam search with K, or sampling with its settings. */
    static String describe(Captioner.Options options) {
        if (options.sampling() != null) {
            Captioner.Sampling s = options.sampling();
            return String.format(Locale.ROOT, "sampling, T=%s, top-k %s, seed %d", s.temperature(), s.topK() == 0 ? "all" : s.topK(), s.seed());
        }
        return options.beamSize() == 1 ? "greedy search" : "beam search, K=" + options.beamSize();
    }
}
