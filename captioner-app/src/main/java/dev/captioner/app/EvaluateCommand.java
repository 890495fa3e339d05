package dev.captioner.app;

import dev.captioner.pipeline.MetricTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.pipeline.model.CaptionBatch;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.metrics.grounding.GroundingAccuracy;
import dev.captioner.metrics.grounding.GroundingCase;
import dev.captioner.metrics.grounding.GroundingReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Captions every image of one split of a dataset with a model package, writes the captions as a COCO
 * results file and scores them against the split's references (BLEU-1..4, ROUGE-L, CIDEr-D). For an
 * attention model on a dataset with object boxes (synth-scenes' {@code instances.json}), it also reports
 * the grounding accuracy and hallucination rate ({@link GroundingAccuracy}, docs/report.md).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Caption one split of a dataset with a model package, write a COCO results JSON and print its scores."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    SearchOptions search = new SearchOptions();

    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "A Karpathy split file, or a folder holding one dataset_*.json (as 'captioner synth' writes).")
    Path data;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Folder that the split file's filepath/filename are relative to (default: the split file's folder).")
    Path images;

    @Option(names = "--split", defaultValue = "test", description = "train, restval, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images of the split.")
    Integer limit;

    @Option(names = "--out", paramLabel = "RESULTS.json",
            description = "The COCO results file to write (default: results_SPLIT.json beside the model package; in the current folder for the bundled model).")
    Path out;

    @Option(names = "--json", description = "Also print the scores as one JSON object, on the last line.")
    boolean json;

    @Option(names = "--instances", paramLabel = "FILE",
            description = "The objects of each image, for grounding (default: instances.json beside the split file, when it exists).")
    Path instances;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Offline.enforce();
        PrintWriter stdout = spec.commandLine().getOut();
        Captioner.Options options = search.options(spec, 1);
        List<Path> models = search.packages();
        int batch = options.batchSize();
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
        Path instancesFile = instances != null ? instances : splitFile.toAbsolutePath().getParent().resolve(SynthScenes.INSTANCES_FILE);
        if (instances != null && !Files.isRegularFile(instances)) {
            throw new DataFormatException(instances, "no such file");
        }
        SynthInstances objects = Files.isRegularFile(instancesFile) ? SynthInstances.read(instancesFile) : null;
        List<CocoResult> results = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        GroundingAccuracy grounding = null;
        try (Captioner captioner = Captioner.load(models, options);
                ProgressBar bar = ProgressBars.start("evaluate", files.size(), "img")) {
            Grounder grounder = objects != null && captioner.attends()
                    ? new Grounder(objects, captioner.preprocessor()) : null;
            grounding = grounder == null ? null : grounder.accuracy;
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
                CaptionBatch done = captioner.captionSkippingFailures(chunk);
                for (CaptionResult result : done.results()) {
                    long id = byFile.get(result.image()).id();
                    results.add(new CocoResult(id, result.text()));
                    if (grounder != null) {
                        grounder.add(id, result);
                    }
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
        String resultsName = "results_" + split + ".json";
        Path target = out != null ? out : search.bundled() ? Path.of(resultsName) : models.get(0).toAbsolutePath().getParent().resolve(resultsName);
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
        stdout.printf("%d images of split \"%s\" captioned with %s (%s); results in %s%n", results.size(), split,
                search.describeModels(), SearchOptions.describe(options), target);
        stdout.println(MetricTable.render(scores.toMap()));
        Map<String, Object> all = new LinkedHashMap<>(scores.toMap());
        if (grounding != null) {
            GroundingReport report = grounding.report();
            stdout.println(groundingTable(report));
            all.put("grounding", groundingJson(report));
        }
        if (json) {
            stdout.println(new ObjectMapper().writeValueAsString(all));
        }
        return failures.isEmpty() ? ExitCode.OK : ExitCode.DATA_ERROR;
    }

    /** Collects the grounding cases of an attention model's captions: where its grid lies in each image, and the image's boxes. */
    private static final class Grounder {
        final GroundingAccuracy accuracy = new GroundingAccuracy();
        private final Map<Long, CocoImage> sizes = new LinkedHashMap<>();
        private final Map<Long, List<SynthAnnotation>> boxes;
        private final ImagePreprocessor preprocessor;

        Grounder(SynthInstances objects, ImagePreprocessor preprocessor) {
            objects.images().forEach(image -> sizes.put(image.id(), image));
            this.boxes = objects.annotationsByImage();
            this.preprocessor = preprocessor;
        }

        void add(long id, CaptionResult result) {
            CocoImage size = sizes.get(id);
            List<SynthAnnotation> inImage = boxes.get(id);
            if (size == null || inImage == null) {
                return; // an image the instances file does not describe is scored without grounding
            }
            CropRegion crop = preprocessor.cropRegion(size.width(), size.height());
            accuracy.add(new GroundingCase(id, result.words(), result.attention(),
                    new GridRegion(crop.x(), crop.y(), crop.width(), crop.height()), inImage));
        }
    }

    /** Grounding overall, for small and large objects, and the hallucination rate, as a two-column table. */
    static String groundingTable(GroundingReport report) {
        Map<String, Double> rows = new LinkedHashMap<>();
        rows.put("Grounding", report.accuracy());
        for (ObjectSize size : ObjectSize.values()) {
            rows.put("Grounding (" + size.word() + ")", report.accuracy(size));
        }
        rows.put("Hallucination rate", report.hallucinationRate());
        return MetricTable.render(rows);
    }

    /** {@code {"accuracy", "small", "large", "hallucination_rate", "mentions", "hits", "misses", "hallucinations"}}; NaN as null. */
    static Map<String, Object> groundingJson(GroundingReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", finite(report.accuracy()));
        for (ObjectSize size : ObjectSize.values()) {
            out.put(size.word(), finite(report.accuracy(size)));
        }
        out.put("hallucination_rate", finite(report.hallucinationRate()));
        out.put("mentions", report.overall().mentions());
        out.put("hits", report.overall().hits());
        out.put("misses", report.overall().misses());
        out.put("hallucinations", report.overall().hallucinations());
        return out;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
