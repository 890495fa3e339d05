package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SceneCaptionsTest {

    @Test
    void everyCaptionIsTrueAndEveryKindOfWordAppears() {
        SynthScenes scenes = SynthScenes.builder().setImages(400).optSeed(11).build();
        Set<CaptionTemplate> templates = EnumSet.noneOf(CaptionTemplate.class);
        Set<String> words = new HashSet<>();
        Set<String> positions = new HashSet<>();
        Set<String> relations = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < scenes.images(); i++) {
            Scene scene = scenes.scene(i);
            List<SceneCaption> captions = scenes.captions(i);
            assertEquals(SceneCaptions.PER_IMAGE, captions.size());
            assertEquals(SceneCaptions.PER_IMAGE, captions.stream().map(SceneCaption::text).distinct().count(), "distinct captions");
            assertEquals(SceneCaptions.PER_IMAGE, captions.stream().map(SceneCaption::template).distinct().count(), "distinct templates");
            for (SceneCaption caption : captions) {
                CaptionTruth.Found found = CaptionTruth.check(scene, caption.text());
                templates.add(caption.template());
                words.addAll(found.words);
                positions.addAll(found.positions);
                relations.addAll(found.relations);
                numbers.addAll(found.numbers);
            }
        }
        assertEquals(EnumSet.allOf(CaptionTemplate.class), templates, "every template is used");
        assertTrue(words.containsAll(CaptionTruth.COLOURS), "every colour: " + words);
        assertTrue(words.containsAll(CaptionTruth.SHAPES), "every shape: " + words);
        assertTrue(words.containsAll(CaptionTruth.SIZES), "both sizes: " + words);
        assertEquals(Set.of("one", "two", "three", "four"), numbers, "counts one to four");
        assertEquals(new HashSet<>(CaptionTruth.POSITIONS), positions, "every absolute position");
        assertEquals(new HashSet<>(CaptionTruth.RELATIONS), relations, "every relation");
    }

    @Test
    void captionsStayTrueWithNineObjects() {
        SynthScenes scenes = SynthScenes.builder().setImages(150).optMaxObjects(9).optSize(96).optSeed(3).build();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < scenes.images(); i++) {
            Scene scene = scenes.scene(i);
            for (SceneCaption caption : scenes.captions(i)) {
                numbers.addAll(CaptionTruth.check(scene, caption.text()).numbers);
            }
        }
        assertTrue(numbers.contains("nine"), "nine objects appear: " + numbers);
    }

    @Test
    void templatesFillInAsDocumented() {
        SplittableRandom random = new SplittableRandom(1);
        Scene scene = new Scene(0, 224, new Background(0x808080, 0x606060, 0), List.of(
                object(Shape.CIRCLE, Colour.RED, ObjectSize.LARGE, Position.TOP_LEFT, 30, 30, 25),
                object(Shape.SQUARE, Colour.ORANGE, ObjectSize.SMALL, Position.TOP_RIGHT, 190, 35, 12),
                object(Shape.CIRCLE, Colour.BLUE, ObjectSize.SMALL, Position.CENTER, 112, 112, 14)), 0);
        assertEquals("there are three shapes", SceneCaptions.render(CaptionTemplate.COUNT, scene, random));
        assertEquals("a large red circle a small orange square and a small blue circle",
                SceneCaptions.render(CaptionTemplate.LIST, scene, random));
        assertEquals("one large shape and two small shapes", SceneCaptions.render(CaptionTemplate.SIZE_COUNT, scene, random));
        assertEquals("one red shape one orange shape and one blue shape", SceneCaptions.render(CaptionTemplate.COLOUR_COUNT, scene, random));
        assertEquals("two circles and one square", SceneCaptions.render(CaptionTemplate.SHAPE_COUNT, scene, random));
        // Only the top pair is clearly side by side; the centre circle is diagonal to both.
        Set<String> relations = new HashSet<>();
        for (int k = 0; k < 20; k++) {
            relations.add(SceneCaptions.render(CaptionTemplate.RELATION, scene, random));
        }
        assertEquals(Set.of("the red circle is to the left of the orange square", "the orange square is to the right of the red circle"),
                relations);
        for (CaptionTemplate template : CaptionTemplate.values()) {
            CaptionTruth.check(scene, SceneCaptions.render(template, scene, random));
        }
    }

    @Test
    void oneObjectStillGetsFiveCaptionsAndNoRelations() {
        Scene scene = new Scene(0, 96, new Background(0x808080, 0x606060, 0),
                List.of(object(Shape.STAR, Colour.ORANGE, ObjectSize.SMALL, Position.BOTTOM, 48, 80, 5)), 0);
        SplittableRandom random = new SplittableRandom(5);
        assertNull(SceneCaptions.render(CaptionTemplate.RELATION, scene, random));
        assertNull(SceneCaptions.render(CaptionTemplate.POSITIONS, scene, random));
        assertEquals("a single orange star", SceneCaptions.render(CaptionTemplate.COUNT_INCLUDING, scene, random));
        assertEquals("there is one shape", SceneCaptions.render(CaptionTemplate.COUNT, scene, random));
        assertEquals("an orange star at the bottom", SceneCaptions.render(CaptionTemplate.POSITION, scene, random));
        List<SceneCaption> captions = SceneCaptions.sample(scene, random);
        assertEquals(5, captions.size());
        for (SceneCaption caption : captions) {
            CaptionTruth.check(scene, caption.text());
        }
    }

    @Test
    void templateExamplesUseOnlyTheGeneratorsWords() {
        Set<String> known = new HashSet<>(CaptionTruth.GLUE);
        known.addAll(CaptionTruth.COLOURS);
        known.addAll(CaptionTruth.SHAPES);
        known.addAll(CaptionTruth.PLURALS);
        known.addAll(CaptionTruth.SIZES);
        known.addAll(CaptionTruth.NUMBERS);
        for (CaptionTemplate template : CaptionTemplate.values()) {
            Set<String> unknown = Arrays.stream(template.example().split(" ")).filter(w -> !known.contains(w)).collect(Collectors.toSet());
            assertTrue(unknown.isEmpty(), template + ": " + unknown);
        }
    }

    static SceneObject object(Shape shape, Colour colour, ObjectSize size, Position cell, double x, double y, double radius) {
        return new SceneObject(shape, colour, size, cell, x, y, radius, colour.rgb(), SceneObject.boxOf(shape, x, y, radius));
    }
}
