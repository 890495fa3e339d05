package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.List;

/**
 * Where one object-naming word looked, and whether that was on an object it names.
 *
 * @param mention the word and its colour and size words
 * @param outcome a hit, a miss, or a hallucination (no object in the image fits the words)
 * @param peakX   the centre of the word's strongest attention cell, in image pixels
 * @param peakY   the same, downwards
 * @param targets the image's objects that the words name; empty for a hallucination
 * @param object  the target the word is counted under: the one whose box holds the peak (a hit), else
 *                the nearest one (a miss); null for a hallucination
 */
public record WordGrounding(ObjectMention mention, Outcome outcome, double peakX, double peakY,
        List<SynthAnnotation> targets, SynthAnnotation object) {

    /** The three ends of a word that names objects. */
    public enum Outcome {
        /** The attention peak lies inside the box of an object the word names. */
        HIT,
        /** Objects the word names are in the image, but the peak lies outside all their boxes. */
        MISS,
        /** No object of the image fits the word (and its colour and size words). */
        HALLUCINATION
    }

    public WordGrounding {
        targets = List.copyOf(targets);
    }

    /** The size class the word is counted under, or null for a hallucination. */
    public ObjectSize size() {
        return object == null ? null : object.size();
    }
}
