package dev.captioner.pipeline.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The test scores of one trained model with one seed: what a comparison aggregates.
 *
 * @param model         the model's name, e.g. {@code att-lstm-tf}; runs of one model share it
 * @param seed          the run's seed
 * @param overall       scores on the whole test split, by metric name (COCO's {@code Bleu_1 .. CIDEr}, and any
 *                      other, e.g. {@code Grounding})
 * @param byObjectCount the same on the test images with 1, 2, 3, 4 objects, by object count
 */
public record RunScores(String model, long seed, Map<String, Double> overall, SortedMap<Integer, Map<String, Double>> byObjectCount) {
    public RunScores {
        Objects.requireNonNull(model, "model");
        overall = Collections.unmodifiableMap(new LinkedHashMap<>(overall));
        TreeMap<Integer, Map<String, Double>> counts = new TreeMap<>();
        byObjectCount.forEach((count, scores) -> counts.put(count, Collections.unmodifiableMap(new LinkedHashMap<>(scores))));
        byObjectCount = Collections.unmodifiableSortedMap(counts);
    }

    /** A run scored on the whole split only. */
    public RunScores(String model, long seed, Map<String, Double> overall) {
        this(model, seed, overall, new TreeMap<>());
    }
}
