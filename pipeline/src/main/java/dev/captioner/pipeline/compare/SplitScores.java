package dev.captioner.pipeline.compare;

import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.metrics.grounding.GroundingAccuracy;
import dev.captioner.metrics.grounding.GroundingCase;
import dev.captioner.metrics.grounding.GroundingCounts;
import dev.captioner.metrics.grounding.GroundingReport;
import dev.captioner.metrics.grounding.ObjectHallucinations;
import dev.captioner.metrics.grounding.ObjectMention;
import dev.captioner.pipeline.model.Caption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One run's scores on the test split: the COCO caption metrics over all test images and by the number of
 * objects in the image, and for an attention model the grounding accuracy.
 *
 * <p><b>By number of objects.</b> BLEU-1..4 are corpus scores of the images with that many objects (BLEU is
 * not a mean over images). ROUGE-L and CIDEr-D are the means of the images' own scores within the whole
 * split (CIDEr-D's document frequencies come from all test references), so the groups average back to the
 * overall score, weighted by their sizes.
 *
 * <p><b>Grounding</b> ({@link GroundingAccuracy}): {@value #GROUNDING} is the share of object-naming words
 * whose attention peak lies in a box of a named object, {@code Grounding (small)} and
 * {@code Grounding (large)} the same by the size of the object counted. {@value #HALLUCINATION}, for every
 * model, is the share of object-naming words that fit no object of the image, and {@code Wrong size},
 * {@code Wrong colour}, {@code Wrong colour and size}, {@code Wrong shape} its parts by the word gone wrong
 * ({@link ObjectMention#hallucination}). Each is NaN where nothing was counted.
 */
public final class SplitScores {
    /** The metric name of the grounding accuracy, in tables and the results files. */
    public static final String GROUNDING = "Grounding";
    /** The metric name of the hallucination rate. */
    public static final String HALLUCINATION = "Hallucination rate";
    /** The grounding metrics of an attention model, in table order. */
    public static final List<String> GROUNDING_METRICS = List.of(GROUNDING, bySize(ObjectSize.SMALL), bySize(ObjectSize.LARGE),
            HALLUCINATION);
    /** The hallucination rate and its parts by the word gone wrong (they add up to it), for every model, in table order. */
    public static final List<String> HALLUCINATION_METRICS = hallucinationMetrics();

    private SplitScores() {}

    /**
     * Scores of one run.
     *
     * @param overall       metric name to score on all test images (COCO's names, and the grounding metrics for an attention model)
     * @param byObjectCount the same by number of objects in the image (COCO's metrics, and {@value #GROUNDING})
     * @param grounding     the grounding counts; null for a plain model
     */
    public record Scores(Map<String, Double> overall, SortedMap<Integer, Map<String, Double>> byObjectCount, GroundingReport grounding) {}

    /** {@code Wrong colour and size}: the share of object-naming words that are hallucinations of this kind. */
    public static String wrong(ObjectMention.Hallucination kind) {
        return "Wrong " + kind.key().replace('_', ' ');
    }

    private static List<String> hallucinationMetrics() {
        List<String> metrics = new ArrayList<>(List.of(HALLUCINATION));
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            metrics.add(wrong(kind));
        }
        return List.copyOf(metrics);
    }

    /** {@code Grounding (small)}. */
    public static String bySize(ObjectSize size) {
        return GROUNDING + " (" + size.word() + ")";
    }

    /**
     * Scores the captions of {@code images}.
     *
     * @param captions an image id to its caption, for every image
     * @param objects  an image id to its objects ({@code instances.json}), for every image
     * @param regions  an image id to the part of the image its attention grid covers; null for a plain model
     */
    public static Scores of(List<KarpathyImage> images, Map<Long, Caption> captions, Map<Long, List<SynthAnnotation>> objects,
            Map<Long, GridRegion> regions) {
        List<Long> ids = new ArrayList<>(images.size());
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        Map<Long, List<String>> references = new LinkedHashMap<>();
        TreeMap<Integer, List<Long>> byCount = new TreeMap<>();
        for (KarpathyImage image : images) {
            Caption caption = captions.get(image.id());
            List<SynthAnnotation> inImage = objects.get(image.id());
            if (caption == null || inImage == null) {
                throw new IllegalArgumentException("image " + image.id() + " has no " + (caption == null ? "caption" : "objects"));
            }
            ids.add(image.id());
            candidates.put(image.id(), List.of(CaptionTokenizer.normalize(caption.text())));
            references.put(image.id(), image.references());
            byCount.computeIfAbsent(inImage.size(), n -> new ArrayList<>()).add(image.id());
        }
        CaptionScores<Long> all = CaptionEvaluation.evaluate(ids, candidates, references);
        Map<String, Double> overall = new LinkedHashMap<>(all.toMap());
        SortedMap<Integer, Map<String, Double>> counted = new TreeMap<>();
        byCount.forEach((count, group) -> counted.put(count, groupScores(all, group, candidates, references)));

        // Hallucinations need only the words: every model has them (for an attention model they equal the grounding's).
        ObjectHallucinations hallucinations = new ObjectHallucinations();
        for (long id : ids) {
            hallucinations.add(captions.get(id).words(), objects.get(id));
        }
        overall.put(HALLUCINATION, hallucinations.rate());
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            overall.put(wrong(kind), hallucinations.rate(kind));
        }

        GroundingReport grounding = null;
        if (regions != null) {
            GroundingAccuracy accuracy = new GroundingAccuracy();
            for (long id : ids) {
                Caption caption = captions.get(id);
                accuracy.add(new GroundingCase(id, caption.words(), caption.attention(), regions.get(id), objects.get(id)));
            }
            grounding = accuracy.report();
            overall.put(GROUNDING, grounding.accuracy());
            for (ObjectSize size : ObjectSize.values()) {
                overall.put(bySize(size), grounding.accuracy(size));
            }
            for (Map.Entry<Integer, Map<String, Double>> group : counted.entrySet()) {
                GroundingCounts counts = grounding.byObjectCount().getOrDefault(group.getKey(), GroundingCounts.ZERO);
                group.getValue().put(GROUNDING, counts.accuracy());
            }
        }
        return new Scores(overall, counted, grounding);
    }

    /** BLEU over the group as its own corpus; ROUGE-L and CIDEr-D as the mean of the group's images' scores in the whole split. */
    private static Map<String, Double> groupScores(CaptionScores<Long> all, List<Long> group, Map<Long, List<String>> candidates,
            Map<Long, List<String>> references) {
        Map<Long, List<String>> groupCandidates = new LinkedHashMap<>();
        Map<Long, List<String>> groupReferences = new LinkedHashMap<>();
        for (long id : group) {
            groupCandidates.put(id, candidates.get(id));
            groupReferences.put(id, references.get(id));
        }
        Map<String, Double> scores = new LinkedHashMap<>(CaptionEvaluation.evaluate(group, groupCandidates, groupReferences).toMap());
        for (String metric : List.of("ROUGE_L", "CIDEr")) {
            scores.put(metric, all.mean(metric, group));
        }
        return scores;
    }
}
