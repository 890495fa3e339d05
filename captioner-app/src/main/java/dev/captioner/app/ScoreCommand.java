package dev.captioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import dev.captioner.pipeline.MetricTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores generated captions against references with BLEU-1..4, ROUGE-L and CIDEr-D, exactly as the COCO
 * caption evaluation code does, after tokenizing both sides with {@link CaptionTokenizer}.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score generated captions (a COCO results file) against reference captions (a COCO captions file).",
                "Only the images in the results are scored; the scores are those of the COCO caption evaluation code."})
final class ScoreCommand extends BaseCommand {

    @Option(names = "--annotations", required = true, paramLabel = "CAPTIONS.json",
            description = "Reference captions, COCO captions format.")
    Path annotations;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Candidates candidates;

    static final class Candidates {
        @Option(names = "--results", paramLabel = "RESULTS.json",
                description = "Generated captions, COCO results format: [{\"image_id\": ..., \"caption\": ...}].")
        Path results;

        @Option(names = "--human",
                description = "Instead of results, score each image's first reference against its other references"
                        + " (the human agreement on the data).")
        boolean human;
    }

    @Option(names = "--json", description = "Also print the scores as one JSON object, on the last line.")
    boolean json;

    @Override
    protected int run() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<Long, List<String>> references = CocoCaptions.read(annotations).captionsByImage();
        List<Long> ids = new ArrayList<>();
        Map<Long, List<String>> cands = new LinkedHashMap<>();
        Map<Long, List<String>> refs = new LinkedHashMap<>();
        if (candidates.human) {
            for (Map.Entry<Long, List<String>> image : references.entrySet()) {
                List<String> all = image.getValue();
                if (all.size() < 2) {
                    throw new DataFormatException(annotations, "image " + image.getKey()
                            + " has a single caption, so --human has nothing to score it against");
                }
                ids.add(image.getKey());
                cands.put(image.getKey(), List.of(CaptionTokenizer.normalize(all.get(0))));
                refs.put(image.getKey(), normalized(all.subList(1, all.size())));
            }
        } else {
            for (CocoResult result : CocoResults.read(candidates.results)) {
                List<String> imageRefs = references.get(result.imageId());
                if (imageRefs == null) {
                    throw new DataFormatException(candidates.results, "result for image " + result.imageId()
                            + ", which is not in " + annotations);
                }
                ids.add(result.imageId());
                cands.put(result.imageId(), List.of(CaptionTokenizer.normalize(result.caption())));
                refs.put(result.imageId(), normalized(imageRefs));
            }
            if (ids.isEmpty()) {
                throw new DataFormatException(candidates.results, "no results to score");
            }
        }
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(ids, cands, refs);

        int minRefs = Integer.MAX_VALUE;
        int maxRefs = 0;
        for (List<String> r : refs.values()) {
            minRefs = Math.min(minRefs, r.size());
            maxRefs = Math.max(maxRefs, r.size());
        }
        String source = candidates.human ? "first reference (human agreement)" : candidates.results.toString();
        out.printf("%d images scored: %s against %s (%s references each)%n", ids.size(), source, annotations,
                minRefs == maxRefs ? String.valueOf(minRefs) : minRefs + " to " + maxRefs);
        out.println(MetricTable.render(scores.toMap()));
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(scores.toMap()));
        }
        return ExitCode.OK;
    }

    private static List<String> normalized(List<String> captions) {
        List<String> out = new ArrayList<>(captions.size());
        for (String caption : captions) {
            out.add(CaptionTokenizer.normalize(caption));
        }
        return out;
    }
}
