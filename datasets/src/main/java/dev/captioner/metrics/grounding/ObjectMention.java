package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A caption word that names objects: a shape noun, singular or plural ({@code cross}, {@code crosses}),
 * narrowed by the colour and size words right before it ({@code a small red cross}: small, red). The
 * modifiers are read backwards from the noun while they are colour or size words, at most one of each
 * ({@code large red circle} and {@code red large circle} both name large red circles; in
 * {@code red red circle} only the nearer {@code red} counts). Words after the noun are not read
 * ({@code the circle is red} names every circle).
 *
 * @param index  the noun's position in the caption, from 0
 * @param word   the noun as written
 * @param shape  the shape it names
 * @param colour the colour word before it, or null
 * @param size   the size word before it, or null
 */
public record ObjectMention(int index, String word, Shape shape, Colour colour, ObjectSize size) {

    /** The mentions in a caption's words, in order. */
    public static List<ObjectMention> find(List<String> words) {
        List<ObjectMention> mentions = new ArrayList<>();
        for (int t = 0; t < words.size(); t++) {
            Shape shape = shapeOf(words.get(t));
            if (shape == null) {
                continue;
            }
            Colour colour = null;
            ObjectSize size = null;
            for (int k = t - 1; k >= 0; k--) {
                String before = words.get(k);
                Colour c = Colour.fromWord(before);
                ObjectSize s = ObjectSize.fromWord(before);
                if (c != null && colour == null) {
                    colour = c;
                } else if (s != null && size == null) {
                    size = s;
                } else {
                    break;
                }
            }
            mentions.add(new ObjectMention(t, words.get(t), shape, colour, size));
        }
        return mentions;
    }

    /** The shape a word names, singular or plural, or null. */
    public static Shape shapeOf(String word) {
        for (Shape shape : Shape.values()) {
            if (shape.word().equals(word) || shape.plural().equals(word)) {
                return shape;
            }
        }
        return null;
    }

    /** True where the object is of this shape, and of this colour and size where they are given. */
    public boolean matches(SynthAnnotation object) {
        return object.shape() == shape && (colour == null || object.colour() == colour) && (size == null || object.size() == size);
    }

    /** The objects of {@code objects} that this mention names, in their order. */
    public List<SynthAnnotation> targets(List<SynthAnnotation> objects) {
        List<SynthAnnotation> targets = new ArrayList<>();
        for (SynthAnnotation object : objects) {
            if (matches(object)) {
                targets.add(object);
            }
        }
        return targets;
    }

    /**
     * What is wrong with a mention that names no object of the image, judged against the objects of its
     * shape: only the size (an object of that shape and colour is there, in the other size), only the colour
     * (one of that shape and size is there), both, or the shape itself (no object of that shape). Null where
     * the mention names an object of {@code objects}.
     */
    public Hallucination hallucination(List<SynthAnnotation> objects) {
        boolean shapeThere = false;
        boolean colourFits = false;
        boolean sizeFits = false;
        for (SynthAnnotation object : objects) {
            if (object.shape() != shape) {
                continue;
            }
            boolean colourRight = colour == null || object.colour() == colour;
            boolean sizeRight = size == null || object.size() == size;
            if (colourRight && sizeRight) {
                return null;
            }
            shapeThere = true;
            colourFits |= colourRight;
            sizeFits |= sizeRight;
        }
        return !shapeThere ? Hallucination.SHAPE : colourFits ? Hallucination.SIZE : sizeFits ? Hallucination.COLOUR
                : Hallucination.COLOUR_AND_SIZE;
    }

    /** The word that a hallucinated mention gets wrong. */
    public enum Hallucination {
        /** An object of the shape and colour is in the image, in the other size. */
        SIZE("size"),
        /** An object of the shape and size is in the image, in another colour. */
        COLOUR("colour"),
        /** Objects of the shape are in the image, none of the colour or of the size. */
        COLOUR_AND_SIZE("colour_and_size"),
        /** No object of the shape is in the image. */
        SHAPE("shape");

        private final String key;

        Hallucination(String key) {
            this.key = key;
        }

        /** Its name in tables and JSON: {@code colour_and_size}. */
        public String key() {
            return key;
        }
    }

    /** The position of the mention's first word: its size or colour word where it has them, else the noun. */
    public int firstIndex() {
        return index - (colour == null ? 0 : 1) - (size == null ? 0 : 1);
    }

    /** The words that make the mention: {@code small red cross}. */
    public String phrase() {
        return (size == null ? "" : size.word() + " ") + (colour == null ? "" : colour.word() + " ") + word;
    }
}
