package dev.captioner.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionTokenizerTest {
    @Test
    void lowercasesStripsPunctuationAndSplits() {
        assertEquals(List.of("a", "man", "riding", "a", "wave", "on", "top", "of", "a", "surfboard"),
                CaptionTokenizer.tokenize("A man riding a wave on top of a surfboard."));
        assertEquals(List.of("two", "dogs", "play", "in", "the", "grass"),
                CaptionTokenizer.tokenize("  Two dogs\tplay,  in the\ngrass!! "));
    }

    @Test
    void followsKarpathysDeletionOfPunctuation() {
        // Deleting (not splitting at) punctuation is what dataset_coco.json's tokens show.
        assertEquals(List.of("a", "dogs", "blackandwhite", "photo"), CaptionTokenizer.tokenize("A dog's black-and-white photo"));
        assertEquals(List.of("its", "35", "feet"), CaptionTokenizer.tokenize("It's 3.5 feet"));
        assertEquals(List.of("quoted", "word"), CaptionTokenizer.tokenize("\u201cquoted\u201d \u2014 word\u2026"));
    }

    @Test
    void keepsNonAsciiLetters() {
        assertEquals(List.of("café", "crème"), CaptionTokenizer.tokenize("Café CRÈME."));
        assertEquals("a b", CaptionTokenizer.normalize("A,  B."));
    }

    @Test
    void emptyAndPunctuationOnly() {
        assertEquals(List.of(), CaptionTokenizer.tokenize(""));
        assertEquals(List.of(), CaptionTokenizer.tokenize(" ... !? "));
    }
}
