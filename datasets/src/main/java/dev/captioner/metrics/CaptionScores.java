package dev.captioner.metrics;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The COCO caption metrics of one scored set: corpus scores keyed and ordered as COCO names them
 * ({@link CaptionEvaluation#METRICS}), per-image scores in the order of {@link #imageIds()}, and the BLEU
 * statistics. Immutable.
 *
 * @param <K> the image id type, e.g. {@code Long} for COCO
 */
public final class CaptionScores<K> {
    private final List<K> imageIds;
    private final Map<String, CorpusScore> scores;
    private final Bleu.Stats bleuStats;
    private final Map<K, Integer> index;

    CaptionScores(List<K> imageIds, Map<String, CorpusScore> scores, Bleu.Stats bleuStats) {
        this.imageIds = List.copyOf(imageIds);
        this.scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        this.bleuStats = bleuStats;
        this.index = new HashMap<>(imageIds.size() * 2);
        for (int i = 0; i < imageIds.size(); i++) {
            index.put(imageIds.get(i), i);
        }
    }

    /** The images scored, in the order of the per-image scores. */
    public List<K> imageIds() {
        return imageIds;
    }

    /** Corpus scores as COCO reports them: {@code Bleu_1, Bleu_2, Bleu_3, Bleu_4, ROUGE_L, CIDEr}, in that order. */
    public Map<String, Double> toMap() {
        Map<String, Double> out = new LinkedHashMap<>();
        scores.forEach((name, score) -> out.put(name, score.corpus()));
        return Collections.unmodifiableMap(out);
    }

    /** The corpus score of {@code metric}, one of {@link CaptionEvaluation#METRICS}. */
    public double corpus(String metric) {
        return metric(metric).corpus();
    }

    /** The per-image scores of {@code metric}, in the order of {@link #imageIds()} (a copy). */
    public double[] perImage(String metric) {
        return metric(metric).perImage();
    }

    /** Both, for one metric. */
    public CorpusScore metric(String metric) {
        CorpusScore score = scores.get(metric);
        if (score == null) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; known: " + scores.keySet());
        }
        return score;
    }

    /** One image's scores keyed by metric, like COCO's {@code imgToEval[id]}. */
    public Map<String, Double> image(K imageId) {
        Integer i = index.get(imageId);
        if (i == null) {
            throw new IllegalArgumentException("image " + imageId + " was not scored");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        scores.forEach((name, score) -> out.put(name, score.image(i)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The mean of some images' own scores of {@code metric}: a subset's score as compare tables it (CIDEr-D by number
     * of objects), each image scored within the whole set (CIDEr-D's document frequencies are the whole set's).
     */
    public double mean(String metric, Collection<K> images) {
        CorpusScore score = metric(metric);
        double sum = 0;
        for (K id : images) {
            Integer i = index.get(id);
            if (i == null) {
                throw new IllegalArgumentException("image " + id + " was not scored");
            }
            sum += score.image(i);
        }
        return sum / images.size();
    }

    /** BLEU's integer statistics summed over the set (testlen, reflen, guess, correct). */
    public Bleu.Stats bleuStats() {
        return bleuStats;
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "{", "}");
        scores.forEach((name, score) -> s.add(name + ": " + score.corpus()));
        return s.toString();
    }
}
