package dev.captioner.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    @TempDir
    Path dir;

    private static final List<List<String>> CAPTIONS = List.of(
            CaptionTokenizer.tokenize("a red circle above a blue square"),
            CaptionTokenizer.tokenize("a blue square below a red circle"),
            CaptionTokenizer.tokenize("two shapes a circle and a square"));

    @Test
    void specialsFirstThenByCountThenAlphabetically() {
        Vocabulary vocab = Vocabulary.build(CAPTIONS, 2);
        // a:6, circle:3, square:3, blue:2, red:2; the rest occur once.
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "a", "circle", "square", "blue", "red"), vocab.words());
        assertEquals(Vocabulary.UNK_ID, vocab.id("two"));
        assertFalse(vocab.contains("two"));
        assertTrue(vocab.contains("red"));
        assertEquals(2, vocab.minCount());
    }

    @Test
    void encodesWithPaddingAndTruncation() {
        Vocabulary vocab = Vocabulary.build(CAPTIONS, 1);
        EncodedCaptions batch = vocab.encode(List.of(List.of("a", "red", "circle"), List.of("a", "two", "zebra", "blue", "square")), 4);
        assertEquals(6, batch.width(), "4 words plus <start> and <end>");
        int a = vocab.id("a");
        assertArrayEquals(new int[] {1, a, vocab.id("red"), vocab.id("circle"), 2, 0}, batch.ids()[0]);
        assertArrayEquals(new int[] {1, a, vocab.id("two"), Vocabulary.UNK_ID, vocab.id("blue"), 2}, batch.ids()[1]);
        assertArrayEquals(new int[] {5, 6}, batch.lengths());
        assertEquals("a <unk> blue", vocab.decodeToString(new int[] {1, a, 3, vocab.id("blue"), 2, a, 0}));
        assertEquals(List.of("a", "red"), vocab.decode(new int[] {a, vocab.id("red")}), "no <end>: every word");
    }

    @Test
    void saveAndLoad() throws IOException {
        Vocabulary vocab = Vocabulary.build(CAPTIONS, 1);
        Path f = dir.resolve("vocab.json");
        vocab.save(f);
        Vocabulary back = Vocabulary.load(f);
        assertEquals(vocab.words(), back.words());
        assertEquals(vocab.minCount(), back.minCount());
    }

    @Test
    void loadRejectsForeignFiles() throws IOException {
        Path wrongFormat = Files.writeString(dir.resolve("a.json"), "{\"format\": \"other/2\", \"words\": []}");
        assertTrue(assertThrows(DataFormatException.class, () -> Vocabulary.load(wrongFormat)).getMessage()
                .contains("not a vocabulary of format captioner-vocab/1"));
        Path noSpecials = Files.writeString(dir.resolve("b.json"), "{\"format\": \"captioner-vocab/1\", \"words\": [\"a\", \"b\"]}");
        assertTrue(assertThrows(DataFormatException.class, () -> Vocabulary.load(noSpecials)).getMessage()
                .contains("special tokens"));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(CAPTIONS, 0));
        Vocabulary vocab = Vocabulary.build(CAPTIONS, 1);
        assertThrows(IllegalArgumentException.class, () -> vocab.word(vocab.size()));
        assertThrows(IllegalArgumentException.class, () -> vocab.encode(CAPTIONS, 0));
    }
}
