package dev.captioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.captioner.data.DataFormatException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionBatch;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.report.AttentionMaps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Captions images with a model package, or an ensemble of several: the encoder and decoders they hold,
 * then greedy (K = 1) or beam search, or sampling; optionally the attention over the image for every
 * word, as pictures.
 */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Caption images with a model package, or an ensemble of several (default: the bundled synth-scenes model).",
                "A folder is captioned file by file; files that are not images are skipped with a warning."})
final class CaptionCommand extends BaseCommand {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images, or folders of images.")
    List<Path> inputs;

    @Mixin
    SearchOptions search = new SearchOptions();

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "1", description = "Captions per image, best first, at most K (default: ${DEFAULT-VALUE}).")
    int nBest;

    @Option(names = "--json", description = "Print the captions as one JSON array (image, captions with their log-probabilities).")
    boolean json;

    @Option(names = "--attention-maps", paramLabel = "DIR",
            description = "Write, for each image, one PNG per word (the attention over the image) and a contact sheet, under DIR/IMAGE-NAME/.")
    Path attentionMaps;

    @Override
    protected int run() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = collect(inputs, err);
        Captioner.Options options = search.options(spec, nBest);
        List<Path> models = search.packages();
        for (Path model : models) {
            if (!Files.exists(model)) {
                throw new DataFormatException(model, "no model package here");
            }
        }
        int batch = options.batchSize();
        List<CaptionResult> results = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        try (Captioner captioner = Captioner.load(models, options)) {
            boolean showProgress = images.size() > batch;
            try (ProgressBar bar = showProgress ? ProgressBars.start("caption", images.size(), "img") : null) {
                for (int from = 0; from < images.size(); from += batch) {
                    List<Path> chunk = images.subList(from, Math.min(images.size(), from + batch));
                    CaptionBatch done = captioner.captionSkippingFailures(chunk);
                    results.addAll(done.results());
                    failures.addAll(done.failures());
                    if (bar != null) {
                        bar.stepBy(chunk.size());
                    }
                }
            }
            if (attentionMaps != null) {
                AttentionMaps maps = AttentionMaps.builder().build();
                for (CaptionResult result : results) {
                    maps.write(result.image(), result, captioner.preprocessor(), attentionMaps);
                }
            }
        }
        print(results, out);
        for (ImageFailure failure : failures) {
            err.println("error: " + failure.message());
        }
        if (attentionMaps != null && !results.isEmpty()) {
            err.printf("attention maps of %d images in %s%n", results.size(), attentionMaps);
        }
        return failures.isEmpty() ? ExitCode.OK : ExitCode.DATA_ERROR;
    }

    private void print(List<CaptionResult> results, PrintWriter out) throws IOException {
        if (json) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (CaptionResult result : results) {
                List<Map<String, Object>> captions = new ArrayList<>();
                for (Caption caption : result.captions()) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("caption", caption.text());
                    one.put("log_prob", caption.logProb());
                    captions.add(one);
                }
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("image", result.image().toString());
                image.put("captions", captions);
                all.add(image);
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
            return;
        }
        for (CaptionResult result : results) {
            if (result.captions().size() == 1) {
                out.printf("%s: %s%n", result.image(), result.text());
                continue;
            }
            out.println(result.image() + ":");
            for (int i = 0; i < result.captions().size(); i++) {
                Caption caption = result.captions().get(i);
                out.printf(Locale.ROOT, "  %d. %s  (log p %.3f)%n", i + 1, caption.text(), caption.logProb());
            }
        }
    }

    /** The files to caption: named files as they are, folders' image files in name order (others skipped with a warning). */
    static List<Path> collect(List<Path> inputs, PrintWriter err) throws IOException {
        List<Path> images = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new NoSuchFileException(input.toString(), null, "no such file or folder");
            }
            if (!Files.isDirectory(input)) {
                images.add(input);
                continue;
            }
            List<Path> files;
            try (Stream<Path> listed = Files.list(input)) {
                files = listed.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
            for (Path file : files) {
                if (IMAGE_EXTENSIONS.contains(extension(file))) {
                    images.add(file);
                } else {
                    err.println("warning: skipping " + file + ": not an image file (." + extension(file) + ")");
                }
            }
        }
        if (images.isEmpty()) {
            throw new DataFormatException(inputs.get(0), "no image files to caption");
        }
        return images;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
