package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.SynthAnnotation;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The hallucinations of a set of captions, read from their words alone, so for any model, attending or
 * not: each object-naming word ({@link ObjectMention}) that fits no object of its image, told by the word
 * it gets wrong ({@link ObjectMention#hallucination}). For an attention model the counts equal those of
 * {@link GroundingAccuracy}. Accumulates; not thread-safe.
 */
public final class ObjectHallucinations {
    private long mentions;
    private final Map<ObjectMention.Hallucination, Long> byKind = new EnumMap<>(ObjectMention.Hallucination.class);

    public ObjectHallucinations() {
        for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
            byKind.put(kind, 0L);
        }
    }

    /** Counts one caption's object-naming words against the objects of its image. */
    public void add(List<String> words, List<SynthAnnotation> objects) {
        for (ObjectMention mention : ObjectMention.find(words)) {
            mentions++;
            ObjectMention.Hallucination kind = mention.hallucination(objects);
            if (kind != null) {
                byKind.merge(kind, 1L, Long::sum);
            }
        }
    }

    /** Object-naming words counted. */
    public long mentions() {
        return mentions;
    }

    /** Those that fit no object of their image. */
    public long hallucinations() {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The hallucinations by the word gone wrong, every kind present. */
    public Map<ObjectMention.Hallucination, Long> byKind() {
        return Collections.unmodifiableMap(byKind);
    }

    /** Hallucinations over object-naming words; NaN where there were none. */
    public double rate() {
        return mentions == 0 ? Double.NaN : (double) hallucinations() / mentions;
    }

    /** Hallucinations of one kind over object-naming words (the kinds add up to {@link #rate()}); NaN where there were none. */
    public double rate(ObjectMention.Hallucination kind) {
        return mentions == 0 ? Double.NaN : (double) byKind.get(kind) / mentions;
    }
}
