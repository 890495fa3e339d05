package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.captioner.data.text.CaptionTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that a caption is true of its scene by reading it, independently of how {@link SceneCaptions}
 * wrote it: every word is known, every object named exists, positions are the objects' cells, relations
 * agree with the box centres, counts are exact.
 */
final class CaptionTruth {
    static final List<String> NUMBERS = List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    static final Set<String> COLOURS = Arrays.stream(Colour.values()).map(Colour::word).collect(Collectors.toSet());
    static final Set<String> SHAPES = Arrays.stream(Shape.values()).map(Shape::word).collect(Collectors.toSet());
    static final Set<String> PLURALS = Arrays.stream(Shape.values()).map(Shape::plural).collect(Collectors.toSet());
    static final Set<String> SIZES = Arrays.stream(ObjectSize.values()).map(ObjectSize::word).collect(Collectors.toSet());
    static final List<String> POSITIONS = Arrays.stream(Position.values()).map(Position::phrase).collect(Collectors.toList());
    static final List<String> RELATIONS = List.of("to the left of", "to the right of", "above", "below");
    static final Set<String> GLUE = Set.of("a", "an", "the", "there", "is", "are", "shape", "shapes", "and", "including", "with",
            "single", "in", "at", "on", "top", "bottom", "left", "right", "center", "corner", "to", "of", "above", "below");

    private static final String NP = "(a|an|the) (?:(small|large) )?(" + String.join("|", COLOURS) + ") (" + String.join("|", SHAPES) + ")";
    private static final Pattern NOUN_PHRASE = Pattern.compile("\\b" + NP + "\\b");
    private static final Pattern PLACED = Pattern.compile("\\b" + NP + " (?:is )?(" + String.join("|", POSITIONS) + ")\\b");
    private static final Pattern RELATED = Pattern.compile("\\b" + NP + " (?:is )?(" + String.join("|", RELATIONS) + ") " + NP + "\\b");
    private static final String NUMBER = "(" + String.join("|", NUMBERS) + ")";
    private static final Pattern TOTAL = Pattern.compile("^(?:there (?:is|are) )?" + NUMBER + " shapes?(?: including| with|$)");
    private static final String ATTRIBUTE = "(" + String.join("|", SIZES) + "|" + String.join("|", COLOURS) + ")";
    private static final String NOUN = "(shapes?|" + String.join("|", SHAPES) + "|" + String.join("|", PLURALS) + ")";
    private static final Pattern COUNT_GROUP = Pattern.compile(NUMBER + " (?:" + ATTRIBUTE + " )?" + NOUN + "\\b");
    private static final Pattern COUNTS_ONLY = Pattern.compile("^" + NUMBER + " (?:" + ATTRIBUTE + " )?" + NOUN
            + "(?: (?:and )?" + NUMBER + " (?:" + ATTRIBUTE + " )?" + NOUN + ")*$");
    private static final Pattern LIST_ONLY = Pattern.compile("^" + NP + "(?: (?:and )?" + NP + ")*$");

    private CaptionTruth() {}

    /** What a caption was found to state, for coverage counts. */
    static final class Found {
        final Set<String> positions = new HashSet<>();
        final Set<String> relations = new HashSet<>();
        final Set<String> numbers = new HashSet<>();
        final Set<String> words = new HashSet<>();
    }

    static Found check(Scene scene, String caption) {
        String where = "scene " + scene.index() + " " + describe(scene) + ": \"" + caption + "\"";
        Found found = new Found();
        assertEquals(caption, CaptionTokenizer.normalize(caption), "plain lowercase words: " + where);
        List<SceneObject> objects = scene.objects();
        for (String word : caption.split(" ")) {
            found.words.add(word);
            if (COLOURS.contains(word)) {
                assertTrue(objects.stream().anyMatch(o -> o.colour().word().equals(word)), "colour " + word + " is in the image: " + where);
            } else if (SHAPES.contains(word)) {
                assertTrue(objects.stream().anyMatch(o -> o.shape().word().equals(word)), "shape " + word + " is in the image: " + where);
            } else if (PLURALS.contains(word)) {
                assertTrue(objects.stream().filter(o -> o.shape().plural().equals(word)).count() >= 2, "two or more " + word + ": " + where);
            } else if (SIZES.contains(word)) {
                assertTrue(objects.stream().anyMatch(o -> o.size().word().equals(word)), "a " + word + " object is in the image: " + where);
            } else if (NUMBERS.contains(word)) {
                found.numbers.add(word);
            } else if (!GLUE.contains(word)) {
                fail("unknown word \"" + word + "\": " + where);
            }
        }
        Matcher np = NOUN_PHRASE.matcher(caption);
        int nounPhrases = 0;
        while (np.find()) {
            nounPhrases++;
            object(scene, np, 1, where);
        }
        Matcher placed = PLACED.matcher(caption);
        while (placed.find()) {
            SceneObject o = object(scene, placed, 1, where);
            assertEquals(o.position().phrase(), placed.group(5), "position of the " + o.describe() + ": " + where);
            Position cell = o.position();
            assertTrue(o.box().x() >= cell.left(scene.size()) && o.box().right() <= cell.right(scene.size())
                    && o.box().y() >= cell.top(scene.size()) && o.box().bottom() <= cell.bottom(scene.size()), "box inside its cell: " + where);
            found.positions.add(placed.group(5));
        }
        Matcher related = RELATED.matcher(caption);
        while (related.find()) {
            SceneObject a = object(scene, related, 1, where);
            SceneObject b = object(scene, related, 6, where);
            checkRelation(scene, a, related.group(5), b, where);
            found.relations.add(related.group(5));
        }
        Matcher total = TOTAL.matcher(caption);
        if (total.find()) {
            assertEquals(objects.size(), NUMBERS.indexOf(total.group(1)) + 1, "number of shapes: " + where);
            assertEquals(total.group(1).equals("one"), caption.matches("^(there is )?one shape\\b.*"), "singular and plural: " + where);
        }
        if (caption.startsWith("a single ")) {
            assertEquals(1, objects.size(), where);
        }
        if (COUNTS_ONLY.matcher(caption).matches()) {
            int sum = 0;
            Matcher group = COUNT_GROUP.matcher(caption);
            while (group.find()) {
                int n = NUMBERS.indexOf(group.group(1)) + 1;
                String attribute = group.group(2);
                String noun = group.group(3);
                long actual;
                if (attribute != null) {
                    assertTrue(noun.equals(n == 1 ? "shape" : "shapes"), "noun agrees with the number: " + where);
                    actual = objects.stream().filter(o -> o.colour().word().equals(attribute) || o.size().word().equals(attribute)).count();
                } else {
                    Shape shape = Shape.fromWord(noun);
                    if (shape == null) {
                        shape = Arrays.stream(Shape.values()).filter(s -> s.plural().equals(noun)).findFirst().orElse(null);
                        assertNotNull(shape, "a shape: " + noun + " in " + where);
                        assertTrue(n > 1, "plural only above one: " + where);
                    } else {
                        assertEquals(1, n, "singular only for one: " + where);
                    }
                    Shape s = shape;
                    actual = objects.stream().filter(o -> o.shape() == s).count();
                }
                assertEquals(actual, n, "count of " + group.group() + ": " + where);
                sum += n;
            }
            assertEquals(objects.size(), sum, "the counts add up to the number of shapes: " + where);
        }
        if (LIST_ONLY.matcher(caption).matches()) {
            assertEquals(objects.size(), nounPhrases, "a list names every object: " + where);
        }
        return found;
    }

    /** The object named by the noun phrase at groups {@code first..first+3} (article, size, colour, shape). */
    private static SceneObject object(Scene scene, Matcher m, int first, String where) {
        String article = m.group(first);
        String size = m.group(first + 1);
        String colour = m.group(first + 2);
        String shape = m.group(first + 3);
        String next = size != null ? size : colour;
        if (!article.equals("the")) {
            assertEquals("aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : "a", article, "article: " + where);
        }
        List<SceneObject> matches = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            if (o.colour().word().equals(colour) && o.shape().word().equals(shape)) {
                matches.add(o);
            }
        }
        assertEquals(1, matches.size(), "exactly one " + colour + " " + shape + ": " + where);
        if (size != null) {
            assertEquals(size, matches.get(0).size().word(), "size of the " + colour + " " + shape + ": " + where);
        }
        return matches.get(0);
    }

    /** Checks "a RELATION b" against the box centres: along the axis by a quarter cell, and dominant. */
    private static void checkRelation(Scene scene, SceneObject a, String relation, SceneObject b, String where) {
        double dx = b.box().centreX() - a.box().centreX();
        double dy = b.box().centreY() - a.box().centreY();
        double margin = scene.size() / 3 / 4.0;
        double along;
        double across;
        switch (relation) {
            case "to the left of": along = dx; across = dy; break;
            case "to the right of": along = -dx; across = dy; break;
            case "above": along = dy; across = dx; break;
            case "below": along = -dy; across = dx; break;
            default: throw new AssertionError(relation);
        }
        assertTrue(along >= margin, "the centres are at least a quarter cell apart in the stated direction: " + where);
        assertTrue(along >= 1.5 * Math.abs(across), "the stated direction dominates: " + where);
    }

    static String describe(Scene scene) {
        return scene.objects().stream().map(o -> o.describe() + " " + o.position().name() + " " + o.box())
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
