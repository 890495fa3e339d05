package dev.captioner.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lowercase, delete punctuation, split on whitespace: the preprocessing of Karpathy's
 * {@code dataset_coco.json} ({@code raw.lower().translate(None, string.punctuation).split()}), extended
 * from ASCII punctuation to every Unicode punctuation character.
 *
 * <p>The COCO evaluation code instead runs Stanford's PTB tokenizer and then drops the tokens that are
 * punctuation. On ordinary English captions both give the same words, with three exceptions, each
 * still one token in both unless noted: possessives and contractions ({@code dog's} is {@code dogs}
 * here, the two tokens {@code dog 's} there), hyphenated words ({@code black-and-white} becomes
 * {@code blackandwhite} here, stays {@code black-and-white} there) and decimal numbers ({@code 3.5}
 * becomes {@code 35}). docs/data-formats.md shows examples.
 */
public final class CaptionTokenizer {
    private CaptionTokenizer() {}

    /** The tokens of one caption; an empty list for a caption with no words. */
    public static List<String> tokenize(String caption) {
        String lower = caption.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>(16);
        StringBuilder word = new StringBuilder(16);
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (word.length() > 0) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
            } else if (!isPunctuation(cp)) {
                word.appendCodePoint(cp);
            }
        }
        if (word.length() > 0) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    /** The tokens joined by single spaces: the form the caption metrics take. */
    public static String normalize(String caption) {
        return String.join(" ", tokenize(caption));
    }

    private static boolean isPunctuation(int cp) {
        if (cp < 128) {
            // Python's string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }
}
