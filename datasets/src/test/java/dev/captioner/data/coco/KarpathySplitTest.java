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

class KarpathySplitTest {
    @TempDir
    Path dir;

    /** The shape of Karpathy's dataset_coco.json: imgid, cocoid, sentids and per-sentence ids. */
    private static final String SAMPLE = "{\"images\": [\n"
            + "{\"filepath\": \"val2014\", \"sentids\": [770337, 771687], \"filename\": \"COCO_val2014_000000391895.jpg\","
            + " \"imgid\": 0, \"split\": \"test\", \"sentences\": [\n"
            + "  {\"tokens\": [\"a\", \"man\", \"with\", \"a\", \"red\", \"helmet\"], \"raw\": \"A man with a red helmet.\", \"imgid\": 0, \"sentid\": 770337},\n"
            + "  {\"tokens\": [\"a\", \"man\", \"riding\"], \"raw\": \"A man riding\", \"imgid\": 0, \"sentid\": 771687}],"
            + " \"cocoid\": 391895},\n"
            + "{\"filepath\": \"train2014\", \"filename\": \"b.jpg\", \"imgid\": 1, \"split\": \"restval\","
            + " \"sentences\": [{\"raw\": \"Two dogs' toys!\"}]}\n"
            + "], \"dataset\": \"coco\"}";

    @Test
    void readsKarpathyFormat() throws IOException {
        KarpathySplit split = KarpathySplit.read(Files.writeString(dir.resolve("k.json"), SAMPLE));
        assertEquals("coco", split.dataset());
        KarpathyImage first = split.images().get(0);
        assertEquals(391895, first.id(), "cocoid wins over imgid");
        assertEquals("val2014/COCO_val2014_000000391895.jpg", first.relativePath());
        assertEquals(List.of("a", "man", "with", "a", "red", "helmet"), first.sentences().get(0).tokens());
        KarpathyImage second = split.images().get(1);
        assertEquals(1, second.id(), "imgid where there is no cocoid");
        assertEquals(List.of("two", "dogs", "toys"), second.sentences().get(0).tokens(), "tokens made from raw");
        assertEquals(List.of(second), split.split("train"), "restval is trained on");
        assertEquals(List.of(first), split.split("test"));
    }

    @Test
    void roundTripAndCocoView() throws IOException {
        KarpathySplit split = KarpathySplit.read(Files.writeString(dir.resolve("k.json"), SAMPLE));
        Path out = dir.resolve("out.json");
        split.write(out);
        KarpathySplit back = KarpathySplit.read(out);
        assertEquals(split.images(), back.images());
        CocoCaptions test = back.toCocoCaptions("test", 0, 0);
        assertEquals(1, test.images().size());
        assertEquals(List.of("A man with a red helmet.", "A man riding"), test.captionsByImage().get(391895L));
    }

    @Test
    void badEntriesAreNamed() throws IOException {
        Path noSplit = Files.writeString(dir.resolve("a.json"),
                "{\"images\": [{\"filename\": \"x.jpg\", \"imgid\": 0, \"sentences\": [{\"raw\": \"a\"}]}]}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(noSplit)).getMessage()
                .contains("image \"x.jpg\" has no \"split\""));
        Path badSplit = Files.writeString(dir.resolve("b.json"),
                "{\"images\": [{\"filename\": \"x.jpg\", \"imgid\": 0, \"split\": \"dev\", \"sentences\": [{\"raw\": \"a\"}]}]}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(badSplit)).getMessage()
                .contains("unknown split \"dev\""));
        Path noSentences = Files.writeString(dir.resolve("c.json"),
                "{\"images\": [{\"filename\": \"x.jpg\", \"imgid\": 0, \"split\": \"val\", \"sentences\": []}]}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(noSentences)).getMessage()
                .contains("image \"x.jpg\" has no captions"));
        Path emptyRaw = Files.writeString(dir.resolve("d.json"),
                "{\"images\": [{\"filename\": \"x.jpg\", \"imgid\": 0, \"split\": \"val\", \"sentences\": [{\"raw\": \"...\"}]}]}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(emptyRaw)).getMessage()
                .contains("empty caption"));
        Path tokensNotStrings = Files.writeString(dir.resolve("e.json"),
                "{\"images\": [{\"filename\": \"x.jpg\", \"imgid\": 0, \"split\": \"val\", \"sentences\": [{\"raw\": \"a\", \"tokens\": [1]}]}]}");
        assertTrue(assertThrows(DataFormatException.class, () -> KarpathySplit.read(tokensNotStrings)).getMessage()
                .contains("\"tokens\" must hold only strings"));
    }
}
