package dev.captioner.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionsTest {
    @TempDir
    Path dir;

    private Path file(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json, StandardCharsets.UTF_8);
    }

    @Test
    void readsCocoCaptionsSkippingExtraFields() throws IOException {
        Path f = file("c.json", "{\"info\": {\"year\": 2014}, \"licenses\": [{\"id\": 1}],\n"
                + "\"images\": [{\"id\": 7, \"file_name\": \"a.jpg\", \"width\": 640, \"height\": 480, \"license\": 3},\n"
                + "             {\"id\": 9, \"file_name\": \"b.jpg\"}],\n"
                + "\"annotations\": [{\"id\": 1, \"image_id\": 7, \"caption\": \"A dog.\"},\n"
                + "                  {\"id\": 2, \"image_id\": 9, \"caption\": \"A cat\"},\n"
                + "                  {\"id\": 3, \"image_id\": 7, \"caption\": \"a brown dog\"}]}");
        CocoCaptions captions = CocoCaptions.read(f);
        assertEquals(List.of(new CocoImage(7, "a.jpg", 640, 480), new CocoImage(9, "b.jpg", 0, 0)), captions.images());
        Map<Long, List<String>> byImage = captions.captionsByImage();
        assertEquals(List.of("A dog.", "a brown dog"), byImage.get(7L));
        assertEquals(List.of("A cat"), byImage.get(9L));
    }

    @Test
    void writeThenReadGivesTheSameFile() throws IOException {
        CocoCaptions original = new CocoCaptions(
                List.of(new CocoImage(1, "x.png", 224, 224), new CocoImage(2, "y \"quoted\" é.png", 10, 20)),
                List.of(new CocoCaption(5, 1, "a red circle"), new CocoCaption(6, 2, "ünïcode \"caption\"")));
        Path f = dir.resolve("out/captions.json");
        original.write(f);
        CocoCaptions back = CocoCaptions.read(f);
        assertEquals(original.images(), back.images());
        assertEquals(original.annotations(), back.annotations());
        byte[] first = Files.readAllBytes(f);
        back.write(f);
        assertEquals(new String(first, StandardCharsets.UTF_8), Files.readString(f));
        try (var listing = Files.list(f.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        Path f = file("bad.json", "{\"images\": [\n  {\"id\": 1, \"file_name\": \"a.jpg\"},\n  {\"id\": 2 \"file_name\": \"b.jpg\"}\n]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertEquals(3, e.line());
        assertTrue(e.column() > 0);
        assertTrue(e.getMessage().startsWith(f + ":3:"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void truncatedJsonIsMalformed() throws IOException {
        Path f = file("cut.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jp");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        Path f = file("m.json", "{\"images\": [{\"id\": 1}], \"annotations\": []}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertEquals(f + ":1:13: image 1 has no \"file_name\"", e.getMessage());

        Path g = file("m2.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}]}");
        e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(g));
        assertTrue(e.getMessage().contains("missing field \"annotations\""), e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() throws IOException {
        Path f = file("t.json", "{\"images\": [{\"id\": \"7\", \"file_name\": \"a.jpg\"}], \"annotations\": []}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("\"id\" must be a whole number, found a string"), e.getMessage());
        assertEquals(1, e.line());

        Path g = file("t2.json", "{\"images\": {}, \"annotations\": []}");
        e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(g));
        assertTrue(e.getMessage().contains("\"images\" must be a JSON array, found an object"), e.getMessage());
    }

    @Test
    void imageWithoutCaptionsIsAnError() throws IOException {
        Path f = file("n.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"},\n"
                + " {\"id\": 2, \"file_name\": \"b.jpg\"}],\n"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"caption\": \"a dog\"}]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertEquals(f + ":2: image 2 (b.jpg) has no captions", e.getMessage());
    }

    @Test
    void emptyCaptionIsAnError() throws IOException {
        Path f = file("e.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}],\n"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"caption\": \"  \"}]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertEquals(f + ":2:18: empty caption for image 1", e.getMessage());
    }

    @Test
    void captionOfAnUnknownImageIsAnError() throws IOException {
        Path f = file("u.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}],\n"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"caption\": \"a\"}, {\"id\": 2, \"image_id\": 5, \"caption\": \"b\"}]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("caption 2 refers to image 5, which is not in \"images\""), e.getMessage());
    }

    @Test
    void duplicateImageIdIsAnError() throws IOException {
        Path f = file("d.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}, {\"id\": 1, \"file_name\": \"b.jpg\"}], \"annotations\": []}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("image id 1 appears twice"), e.getMessage());
    }

    @Test
    void latin1FileIsNotUtf8() throws IOException {
        Path f = dir.resolve("latin1.json");
        Files.write(f, "{\"images\": [{\"id\": 1, \"file_name\": \"caf\u00e9.jpg\"}], \"annotations\": []}"
                .getBytes(StandardCharsets.ISO_8859_1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void utf16FileIsNotUtf8() throws IOException {
        Path f = dir.resolve("utf16.json");
        Files.write(f, "{\"images\": [], \"annotations\": []}".getBytes(StandardCharsets.UTF_16));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() throws IOException {
        Path f = dir.resolve("bom.json");
        byte[] body = "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1, \"caption\": \"x\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(f, withBom);
        assertEquals(1, CocoCaptions.read(f).annotations().size());
    }

    @Test
    void missingAndEmptyFiles() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().endsWith("nope.json: no such file"), e.getMessage());
        Path empty = file("empty.json", "");
        e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(empty));
        assertTrue(e.getMessage().contains("the file is empty"), e.getMessage());
    }

    @Test
    void trailingGarbageIsMalformed() throws IOException {
        Path f = file("g.json", "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\"}], \"annotations\": [{\"image_id\": 1, \"caption\": \"x\"}]} {}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoCaptions.read(f));
        assertTrue(e.getMessage().contains("after the end of the document"), e.getMessage());
    }
}
