package dev.captioner.metrics.grounding;

/**
 * Counts of object-naming words. Every such word is a hit, a miss or a hallucination, so
 * {@code mentions = hits + misses + hallucinations}; only hits and misses (the grounded words, whose
 * objects are in the image) enter the accuracy.
 */
public record GroundingCounts(long mentions, long hits, long misses, long hallucinations) {
    public static final GroundingCounts ZERO = new GroundingCounts(0, 0, 0, 0);

    public GroundingCounts {
        if (hits < 0 || misses < 0 || hallucinations < 0 || mentions != hits + misses + hallucinations) {
            throw new IllegalArgumentException("counts must be non-negative and mentions = hits + misses + hallucinations, got "
                    + mentions + " = " + hits + " + " + misses + " + " + hallucinations);
        }
    }

    /** Words whose objects are in the image: hits plus misses. */
    public long grounded() {
        return hits + misses;
    }

    /** Hits over grounded words; NaN where there are none. */
    public double accuracy() {
        return grounded() == 0 ? Double.NaN : (double) hits / grounded();
    }

    /** Hallucinations over all object-naming words; NaN where there are none. */
    public double hallucinationRate() {
        return mentions == 0 ? Double.NaN : (double) hallucinations / mentions;
    }

    /** These counts plus one word of this outcome. */
    GroundingCounts plus(WordGrounding.Outcome outcome) {
        return new GroundingCounts(mentions + 1, hits + (outcome == WordGrounding.Outcome.HIT ? 1 : 0),
                misses + (outcome == WordGrounding.Outcome.MISS ? 1 : 0),
                hallucinations + (outcome == WordGrounding.Outcome.HALLUCINATION ? 1 : 0));
    }

    /** Both counts added. */
    public GroundingCounts plus(GroundingCounts other) {
        return new GroundingCounts(mentions + other.mentions, hits + other.hits, misses + other.misses,
                hallucinations + other.hallucinations);
    }
}
