package dev.captioner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthInstances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reader of image names refuses names that leave the image folder, naming the file and the entry. */
class ImagePathsTest {
    @TempDir
    Path dir;

    @Test
    void namesBelowTheFolderPass() {
        assertNull(ImagePaths.problem("000001.jpg"));
        assertNull(ImagePaths.problem("val2014/COCO_val2014_000000391895.jpg"));
        assertNull(ImagePaths.problem("a..b.jpg"), "two dots inside a name are no segment");
    }

    @Test
    void namesOutsideAreRefused() {
        for (String name : new String[] {"/etc/passwd", "../../../../etc/passwd", "images/../../x.jpg", "..\\x.jpg",
                "C:\\Windows\\x.jpg", "\\\\server\\share\\x.jpg", "~/x.jpg", "", "a\0.jpg"}) {
            assertTrue(ImagePaths.problem(name) != null, name);
        }
    }

    @Test
    void cocoCaptionsRefuseAnEscapingFileName() throws IOException {
        Path file = Files.writeString(dir.resolve("captions.json"), "{\"images\": [\n"
                + "{\"id\": 1, \"file_name\": \"a.jpg\"},\n"
                + "{\"id\": 2, \"file_name\": \"../../../../etc/passwd\"}],\n"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"caption\": \"a\"}, {\"id\": 2, \"image_id\": 2, \"caption\": \"b\"}]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(file));
        assertEquals(file + ":3:1: image 2: \"file_name\" \"../../../../etc/passwd\" climbs out of the image folder with \"..\"",
                e.getMessage());
        Path absolute = Files.writeString(dir.resolve("abs.json"),
                "{\"images\": [{\"id\": 7, \"file_name\": \"/etc/passwd\"}], \"annotations\": []}");
        assertTrue(assertThrows(DataFormatException.class, () -> CocoCaptions.read(absolute)).getMessage()
                .contains("image 7: \"file_name\" \"/etc/passwd\" is absolute"));
    }

    @Test
    void instancesRefuseAnEscapingFileName() throws IOException {
        Path file = Files.writeString(dir.resolve("instances.json"), "{\"images\": [{\"id\": 3, \"file_name\": \"/etc/passwd\","
                + " \"width\": 8, \"height\": 8}], \"annotations\": [], \"categories\": []}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SynthInstances.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:"), e.getMessage());
        assertTrue(e.getMessage().contains("image 3: \"file_name\" \"/etc/passwd\" is absolute"), e.getMessage());
    }

    @Test
    void karpathySplitRefusesAnEscapingPath() throws IOException {
        Path file = Files.writeString(dir.resolve("dataset.json"), "{\"images\": [\n"
                + "{\"filepath\": \"../..\", \"filename\": \"passwd\", \"imgid\": 4, \"split\": \"test\", \"sentences\": [{\"raw\": \"a\"}]}"
                + "], \"dataset\": \"coco\"}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> KarpathySplit.read(file));
        assertEquals(file + ":2:1: image 4: \"filepath/filename\" \"../../passwd\" climbs out of the image folder with \"..\"",
                e.getMessage());
        Path absolute = Files.writeString(dir.resolve("abs.json"), "{\"images\": [{\"filepath\": \"\", \"filename\": \"/etc/passwd\","
                + " \"imgid\": 5, \"split\": \"test\", \"sentences\": [{\"raw\": \"a\"}]}], \"dataset\": \"coco\"}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(absolute)).getMessage()
                .contains("image 5: \"filepath/filename\" \"/etc/passwd\" is absolute"));
    }
}
