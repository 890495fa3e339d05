package dev.captioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.metrics.grounding.GridCeiling;
import dev.captioner.metrics.grounding.GroundingReport;
import dev.captioner.metrics.grounding.ObjectHallucinations;
import dev.captioner.metrics.grounding.ObjectMention;
import dev.captioner.pipeline.DatasetInput;
import dev.captioner.pipeline.Evaluation;
import dev.captioner.pipeline.MetricTable;
import dev.captioner.pipeline.model.Captioner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Captions every image of one split of a dataset with a model package (or an ensemble), writes the
 * captions as a COCO results file and prints their scores against the split's references (BLEU-1..4,
 * ROUGE-L, CIDEr-D); the work is the library's {@link Evaluation}. For an
 * attention model on a dataset with object boxes (synth-scenes' {@code instances.json}), it also reports
 * the grounding accuracy (GroundingAccuracy, docs/report.md); for any model on such a dataset, the
 * hallucination rate and its parts by the word gone wrong (ObjectHallucinations).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Caption one split of a dataset with a model package, write a COCO results JSON and print its scores."})
final class EvaluateCommand extends BaseCommand {
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

    @Override
    protected int run() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Captioner.Options options = search.options(spec, 1);
        List<Path> models = search.packages();
        Path splitFile = DatasetInput.splitFile(data);
        Path root = images != null ? images : splitFile.toAbsolutePath().getParent();
        List<KarpathyImage> chosen = KarpathySplit.read(splitFile).split(split);
        if (limit != null) {
            chosen = chosen.subList(0, Math.min(limit, chosen.size()));
        }
        if (chosen.isEmpty()) {
            throw new DataFormatException(splitFile, "no images in split \"" + split + "\"");
        }
        Path instancesFile = instances != null ? instances : splitFile.toAbsolutePath().getParent().resolve(SynthScenes.INSTANCES_FILE);
        if (instances != null && !Files.isRegularFile(instances)) {
            throw new DataFormatException(instances, "no such file");
        }
        SynthInstances objects = Files.isRegularFile(instancesFile) ? SynthInstances.read(instancesFile) : null;
        Evaluation.Result evaluated;
        try (Captioner captioner = Captioner.load(models, options)) {
            evaluated = Evaluation.builder().setImages(chosen, root).optInstances(objects).build()
                    .run(captioner, new ConsoleProgress(stdout, spec.commandLine().getErr()));
        }
        for (ImageFailure failure : evaluated.failures()) {
            spec.commandLine().getErr().println("error: " + failure.message());
        }
        if (evaluated.results().isEmpty()) {
            throw new DataFormatException(splitFile, "no image of split \"" + split + "\" could be captioned");
        }
        String resultsName = "results_" + split + ".json";
        Path target = out != null ? out : search.bundled() ? Path.of(resultsName) : models.get(0).toAbsolutePath().getParent().resolve(resultsName);
        CocoResults.write(target, evaluated.results());

        stdout.printf("%d images of split \"%s\" captioned with %s (%s); results in %s%n", evaluated.results().size(), split,
                search.describeModels(), SearchOptions.describe(options), target);
        stdout.println(MetricTable.render(evaluated.scores().toMap()));
        Map<String, Object> all = new LinkedHashMap<>(evaluated.scores().toMap());
        if (evaluated.grounding() != null) {
            stdout.println(groundingTable(evaluated.grounding(), evaluated.ceiling()));
            all.put("grounding", groundingJson(evaluated.grounding(), evaluated.ceiling()));
        }
        if (evaluated.ciderByObjectCount() != null) {
            Map<String, Double> rows = new LinkedHashMap<>();
            Map<String, Double> keyed = new LinkedHashMap<>();
            evaluated.ciderByObjectCount().forEach((count, cider) -> {
                rows.put("CIDEr, " + count + (count == 1 ? " object" : " objects"), cider);
                keyed.put(String.valueOf(count), cider);
            });
            stdout.println(MetricTable.render(rows));
            all.put("cider_by_object_count", keyed);
        }
        if (evaluated.hallucinations() != null) { // any model: its words against the boxes
            stdout.println(hallucinationTable(evaluated.hallucinations()));
            all.put("hallucination", hallucinationJson(evaluated.hallucinations()));
        }
        if (json) {
            stdout.println(new ObjectMapper().writeValueAsString(all));
        }
        return evaluated.failures().isEmpty() ? ExitCode.OK : ExitCode.DATA_ERROR;
    }

    /**
     * Grounding overall and for small and large objects, and the grid's ceilings (the share
     * of objects whose box holds a cell centre), as a two-column table.
     */
    static String groundingTable(GroundingReport report, GridCeiling ceiling) {
        Map<String, Double> rows = new LinkedHashMap<>();
        rows.put("Grounding", report.accuracy());
        for (ObjectSize size : ObjectSize.values()) {
            rows.put("Grounding (" + size.word() + ")", report.accuracy(size));
        }
        rows.put("Grid ceiling", ceiling.ceiling());
        for (ObjectSize size : ObjectSize.values()) {
            rows.put("Grid ceiling (" + size.word() + ")", ceiling.ceiling(size));
        }
        return MetricTable.render(rows);
    }

    /** The hallucination rate and its parts by the word gone wrong, as a two-column table. */
    static String hallucinationTable(ObjectHallucinations hallucinations) {
        Map<String, Double> rows = new LinkedHashMap<>();
        rows.put("Hallucination rate", hallucinations.rate());
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            rows.put("  wrong " + kind.key().replace('_', ' '), hallucinations.rate(kind));
        }
        return MetricTable.render(rows);
    }

    /** {@code {"rate", "mentions", "hallucinations", "by_kind": {"size", "colour", "colour_and_size", "shape"}}}; NaN as null. */
    static Map<String, Object> hallucinationJson(ObjectHallucinations hallucinations) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", finite(hallucinations.rate()));
        out.put("mentions", hallucinations.mentions());
        out.put("hallucinations", hallucinations.hallucinations());
        Map<String, Long> kinds = new LinkedHashMap<>();
        hallucinations.byKind().forEach((kind, count) -> kinds.put(kind.key(), count));
        out.put("by_kind", kinds);
        return out;
    }

    /**
     * {@code {"accuracy", "small", "large", "hallucination_rate", "ceiling", "ceiling_small", "ceiling_large", "mentions",
     * "hits", "misses", "hallucinations"}}; NaN as null.
     */
    static Map<String, Object> groundingJson(GroundingReport report, GridCeiling ceiling) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", finite(report.accuracy()));
        for (ObjectSize size : ObjectSize.values()) {
            out.put(size.word(), finite(report.accuracy(size)));
        }
        out.put("hallucination_rate", finite(report.hallucinationRate()));
        out.put("ceiling", finite(ceiling.ceiling()));
        for (ObjectSize size : ObjectSize.values()) {
            out.put("ceiling_" + size.word(), finite(ceiling.ceiling(size)));
        }
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
