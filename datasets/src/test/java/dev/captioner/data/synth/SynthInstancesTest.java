package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthInstancesTest {
    private static final String CATEGORIES = "\"categories\": [{\"id\": 1, \"name\": \"circle\"}, {\"id\": 2, \"name\": \"star\"}]";
    private static final String IMAGES = "\"images\": [{\"id\": 0, \"file_name\": \"000000.jpg\", \"width\": 96, \"height\": 96}]";

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesTheSameAnnotationsAndBytes() throws IOException {
        SynthInstances original = new SynthInstances(
                List.of(new CocoImage(0, "000000.jpg", 96, 96), new CocoImage(1, "000001.jpg", 96, 96)),
                List.of(new SynthAnnotation(1, 0, Shape.STAR, new BoundingBox(3, 4, 20, 19), 123.45, Colour.ORANGE, ObjectSize.LARGE),
                        new SynthAnnotation(2, 0, Shape.CROSS, new BoundingBox(60, 70, 9, 9), 30.5, Colour.BLUE, ObjectSize.SMALL),
                        new SynthAnnotation(3, 1, Shape.CIRCLE, new BoundingBox(0, 0, 96, 96), 7238.23, Colour.RED, ObjectSize.LARGE)));
        Path file = dir.resolve("instances.json");
        original.write(file);
        SynthInstances back = SynthInstances.read(file);
        assertEquals(original.images(), back.images());
        assertEquals(original.annotations(), back.annotations());
        assertEquals(2, back.annotationsByImage().get(0L).size());
        byte[] first = Files.readAllBytes(file);
        back.write(file);
        assertEquals(new String(first, StandardCharsets.UTF_8), Files.readString(file));
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
        String json = Files.readString(file);
        assertTrue(json.contains("\"bbox\":[3,4,20,19],\"area\":123.45,\"iscrowd\":0,\"colour\":\"orange\",\"size\":\"large\""), json);
        assertTrue(json.contains("{\"id\":7,\"name\":\"cross\"}"), json);
    }

    @Test
    void acceptsCategoriesBeforeAnnotationsAndSkipsUnknownFields() throws IOException {
        SynthInstances instances = SynthInstances.read(file("{\"licenses\": [], " + CATEGORIES + ", " + IMAGES
                + ", \"annotations\": [{\"id\": 5, \"image_id\": 0, \"category_id\": 2, \"bbox\": [1, 2, 3.0, 4],"
                + " \"area\": 5, \"colour\": \"green\", \"size\": \"small\", \"segmentation\": []}]}"));
        assertEquals(List.of(new SynthAnnotation(5, 0, Shape.STAR, new BoundingBox(1, 2, 3, 4), 5, Colour.GREEN, ObjectSize.SMALL)),
                instances.annotations());
    }

    @Test
    void badFilesAreRefusedWithTheProblemNamed() throws IOException {
        assertProblem("{" + IMAGES + ", " + CATEGORIES + "}", "missing field \"annotations\"");
        assertProblem(annotation("\"id\": 1, \"image_id\": 0, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"area\": 5, \"colour\": \"red\""),
                "annotation 1 has no \"size\"");
        assertProblem(annotation(fields("\"colour\": \"pink\"")), "unknown colour \"pink\"");
        assertProblem(annotation(fields("\"size\": \"medium\"")), "unknown size \"medium\"");
        assertProblem(annotation(fields("\"bbox\": [1, 2, 3]")), "\"bbox\" must be [x, y, w, h]");
        assertProblem(annotation(fields("\"bbox\": [1, 2, 0, 4]")), "\"bbox\" is empty");
        assertProblem(annotation(fields("\"bbox\": [1.5, 2, 3, 4]")), "whole pixels");
        assertProblem(annotation(fields("\"bbox\": [90, 2, 10, 4]")), "is not inside image 0 (96x96)");
        assertProblem(annotation(fields("\"bbox\": \"1 2 3 4\"")), "\"bbox\" must be an array of numbers");
        assertProblem(annotation(fields("\"area\": 0")), "\"area\" must be a positive number");
        assertProblem(annotation(fields("\"image_id\": 3")), "refers to image 3, which is not in \"images\"");
        assertProblem(annotation(fields("\"category_id\": 9")), "refers to category 9, which is not in \"categories\"");
        assertProblem("{" + IMAGES + ", \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"blob\"}]}",
                "unknown category \"blob\"");
        assertProblem("{" + IMAGES + ", \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"star\"}, {\"id\": 1, \"name\": \"circle\"}]}",
                "category id 1 appears twice");
        assertProblem("{\"images\": [{\"id\": 0, \"file_name\": \"a.jpg\", \"width\": 9, \"height\": 9}, "
                + "{\"id\": 0, \"file_name\": \"b.jpg\", \"width\": 9, \"height\": 9}], \"annotations\": [], " + CATEGORIES + "}",
                "image id 0 appears twice");
        assertProblem("{\"images\": [{\"id\": 0, \"file_name\": \"a.jpg\"}], \"annotations\": [], " + CATEGORIES + "}",
                "image 0 needs \"width\" and \"height\"");
        assertProblem("{" + IMAGES + ", \"annotations\": [{" + fields("") + "}, {" + fields("") + "}], " + CATEGORIES + "}",
                "annotation id 1 appears twice");
        assertProblem("{\"info\": {\"format_version\": 2}, " + IMAGES + ", \"annotations\": [], " + CATEGORIES + "}",
                "format_version 2 is newer");
        assertProblem("{" + IMAGES + ", \"annotations\": [" , "malformed JSON");
        assertProblem("[]", "the top level of an instances file must be a JSON object");
    }

    @Test
    void problemsInAnAnnotationNameItsLine() throws IOException {
        Path f = file("{" + IMAGES + ",\n\"annotations\": [\n{" + fields("") + "},\n{" + fields("\"id\": 2, \"colour\": \"teal\"") + "}\n],\n"
                + CATEGORIES + "}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SynthInstances.read(f));
        assertEquals(4, e.line(), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** An annotation's fields, each valid, with {@code override} replacing those it names. */
    private static String fields(String override) {
        String[][] defaults = {{"id", "1"}, {"image_id", "0"}, {"category_id", "1"}, {"bbox", "[1, 2, 3, 4]"}, {"area", "5"},
            {"colour", "\"red\""}, {"size", "\"small\""}};
        StringBuilder json = new StringBuilder();
        for (String[] field : defaults) {
            if (!override.contains("\"" + field[0] + "\":")) {
                json.append(json.length() == 0 ? "" : ", ").append('"').append(field[0]).append("\": ").append(field[1]);
            }
        }
        return override.isEmpty() ? json.toString() : json + ", " + override;
    }

    private static String annotation(String fields) {
        return "{" + IMAGES + ", \"annotations\": [{" + fields + "}], " + CATEGORIES + "}";
    }

    private void assertProblem(String json, String problem) throws IOException {
        Path f = file(json);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SynthInstances.read(f), json);
        assertTrue(e.getMessage().contains(problem), "expected \"" + problem + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    private Path file(String json) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "instances", ".json"), json, StandardCharsets.UTF_8);
    }
}
