package dev.captioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.decoder.model.CaptionBatch;
import dev.captioner.decoder.model.CaptionResult;
import dev.captioner.decoder.model.Captioner;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Captions every image of one split of a dataset with a model package, writes the captions as a COCO
 * results file and scores them against the split's references (BLEU-1..4, ROUGE-L, CIDEr-D).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Caption one split of a dataset with a model package, write a COCO results JSON and print its scores."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PKG", description = "A model package folder or zip (default: ${DEFAULT-VALUE}).")
    Path model = CaptionCommand.BUNDLED;

    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "A Karpathy split file, or a folder holding one dataset_*.json (as 'captioner synth' writes).")
    Path data;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Folder that the split file's filepath/filename are relative to (default: the split file's folder).")
    Path images;

    @Option(names = "--split", defaultValue = "test", description = "train, restval, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "3", description = "Beam size; 1 is greedy search (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "20", description = "The most words a caption gets (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Images encoded and searched together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images of the split.")
    Integer limit;

    @Option(names = "--out", paramLabel = "RESULTS.json",
            description = "The COCO results file to write (default: results_SPLIT.json beside the model package).")
    Path out;

    @Option(names = "--json", description = "Also print the scores as one JSON object, on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Offline.enforce();
        PrintWriter stdout = spec.commandLine().getOut();
        Captioner.Options options = CaptionCommand.searchOptions(spec, beam, 1, maxLength, batch);
        Path splitFile = FeaturesCommand.splitFile(data);
        Path root = images != null ? images : splitFile.toAbsolutePath().getParent();
        List<KarpathyImage> chosen = KarpathySplit.read(splitFile).split(split);
        if (limit != null) {
            chosen = chosen.subList(0, Math.min(limit, chosen.size()));
        }
        if (chosen.isEmpty()) {
            throw new DataFormatException(splitFile, "no images in split \"" + split + "\"");
        }
        Map<Path, KarpathyImage> byFile = new LinkedHashMap<>();
        for (KarpathyImage image : chosen) {
            byFile.put(root.resolve(image.relativePath()), image);
        }
        List<Path> files = new ArrayList<>(byFile.keySet());
        List<CocoResult> results = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        try (Captioner captioner = Captioner.load(model, options);
                ProgressBar bar = ProgressBars.start("evaluate", files.size(), "img")) {
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
                CaptionBatch done = captioner.captionSkippingFailures(chunk);
                for (CaptionResult result : done.results()) {
                    results.add(new CocoResult(byFile.get(result.image()).id(), result.text()));
                }
                failures.addAll(done.failures());
                bar.stepBy(chunk.size());
            }
        }
        for (ImageFailure failure : failures) {
            spec.commandLine().getErr().println("error: " + failure.message());
        }
        if (results.isEmpty()) {
            throw new DataFormatException(splitFile, "no image of split \"" + split + "\" could be captioned");
        }
        Path target = out != null ? out : model.toAbsolutePath().getParent().resolve("results_" + split + ".json");
        CocoResults.write(target, results);

        List<Long> ids = new ArrayList<>();
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        Map<Long, List<String>> references = new LinkedHashMap<>();
        Map<Long, KarpathyImage> byId = new LinkedHashMap<>();
        chosen.forEach(image -> byId.put(image.id(), image));
        for (CocoResult result : results) {
            KarpathyImage image = byId.get(result.imageId());
            ids.add(result.imageId());
            candidates.put(result.imageId(), List.of(CaptionTokenizer.normalize(result.caption())));
            references.put(result.imageId(), image.references());
        }
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(ids, candidates, references);
        stdout.printf("%d images of split \"%s\" captioned with %s (%s); results in %s%n", results.size(), split, model,
                beam == 1 ? "greedy search" : "beam search, K=" + beam, target);
        stdout.println(MetricTable.render(scores.toMap()));
        if (json) {
            stdout.println(new ObjectMapper().writeValueAsString(scores.toMap()));
        }
        return failures.isEmpty() ? ExitCode.OK : ExitCode.DATA_ERROR;
    }
}
