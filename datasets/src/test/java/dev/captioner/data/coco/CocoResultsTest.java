package dev.captioner.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws IOException {
        List<CocoResult> results = List.of(new CocoResult(3, "a red circle"), new CocoResult(1, "two shapes"));
        Path f = dir.resolve("r.json");
        CocoResults.write(f, results);
        assertEquals(results, CocoResults.read(f));
        assertEquals("[{\"image_id\":3,\"caption\":\"a red circle\"},{\"image_id\":1,\"caption\":\"two shapes\"}]\n",
                Files.readString(f));
    }

    @Test
    void duplicateResultIsAnError() throws IOException {
        Path f = Files.writeString(dir.resolve("d.json"),
                "[{\"image_id\": 1, \"caption\": \"a\"},\n {\"image_id\": 2, \"caption\": \"b\"},\n {\"image_id\": 1, \"caption\": \"c\"}]");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CocoResults.read(f));
        assertEquals(f + ":3:2: duplicate result for image 1 (first at line 1); give one caption per image", e.getMessage());
    }

    @Test
    void resultsMustBeAnArrayOfObjectsWithFields() throws IOException {
        Path f = Files.writeString(dir.resolve("o.json"), "{\"image_id\": 1}");
        assertTrue(assertThrows(DataFormatException.class, () -> CocoResults.read(f)).getMessage()
                .contains("the top level of a COCO results file must be a JSON array"));
        Path g = Files.writeString(dir.resolve("m.json"), "[{\"caption\": \"a\"}]");
        assertTrue(assertThrows(DataFormatException.class, () -> CocoResults.read(g)).getMessage()
                .contains("result has no \"image_id\""));
        Path h = Files.writeString(dir.resolve("t.json"), "[{\"image_id\": 1, \"caption\": 5}]");
        assertTrue(assertThrows(DataFormatException.class, () -> CocoResults.read(h)).getMessage()
                .contains("\"caption\" must be a string, found a whole number"));
    }
}
