package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.ObjectSize;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The grounding of a set of captions.
 *
 * @param images        captions grounded
 * @param overall       all object-naming words
 * @param bySize        hits and misses by the size class of the object each word is counted under (both
 *                      sizes always present; hallucinations have no object, so they are 0 here)
 * @param byObjectCount all object-naming words by the number of objects in their image
 * @param hallucinations the hallucinations by the word they get wrong (every kind present); empty for a report
 *                       saved before they were counted (null given)
 */
public record GroundingReport(long images, GroundingCounts overall, Map<ObjectSize, GroundingCounts> bySize,
        SortedMap<Integer, GroundingCounts> byObjectCount, Map<ObjectMention.Hallucination, Long> hallucinations) {

    public GroundingReport {
        EnumMap<ObjectMention.Hallucination, Long> kinds = new EnumMap<>(ObjectMention.Hallucination.class);
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            if (hallucinations != null) {
                kinds.put(kind, hallucinations.getOrDefault(kind, 0L));
            }
        }
        hallucinations = Collections.unmodifiableMap(kinds);
        EnumMap<ObjectSize, GroundingCounts> sizes = new EnumMap<>(ObjectSize.class);
        for (ObjectSize size : ObjectSize.values()) {
            sizes.put(size, bySize.getOrDefault(size, GroundingCounts.ZERO));
        }
        bySize = Collections.unmodifiableMap(sizes);
        byObjectCount = Collections.unmodifiableSortedMap(new TreeMap<>(byObjectCount));
    }

    /** Hits over grounded words, all sizes; NaN where no word was grounded. */
    public double accuracy() {
        return overall.accuracy();
    }

    /** The accuracy on objects of one size; NaN where no word was counted under it. */
    public double accuracy(ObjectSize size) {
        return bySize.get(size).accuracy();
    }

    /** Hallucinations over all object-naming words; NaN where there were none. */
    public double hallucinationRate() {
        return overall.hallucinationRate();
    }

    /**
     * Hallucinations of one kind over all object-naming words (the kinds add up to the rate); NaN where there
     * were no such words or the kinds were not counted.
     */
    public double hallucinationRate(ObjectMention.Hallucination kind) {
        Long count = hallucinations.get(kind);
        return overall.mentions() == 0 || count == null ? Double.NaN : (double) count / overall.mentions();
    }
}
