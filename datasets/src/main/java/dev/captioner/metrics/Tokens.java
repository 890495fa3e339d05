package dev.captioner.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ways pycocoevalcap cuts a caption into tokens. BLEU and CIDEr-D use Python's
 * {@code str.split()} (runs of any whitespace, no empty tokens); ROUGE-L uses {@code split(" ")} (every
 * single space, so a double space or a leading space yields an empty token, and {@code ""} is one empty
 * token). For clean input the two agree; they are kept apart so that unclean input scores as it does there.
 */
final class Tokens {
    private static final String[] NONE = new String[0];

    private Tokens() {}

    /** Python 3 {@code str.split()}: split on runs of whitespace, dropping leading and trailing runs. */
    static String[] whitespace(String caption) {
        List<String> out = new ArrayList<>();
        int n = caption.length();
        int i = 0;
        while (i < n) {
            while (i < n && isPythonSpace(caption.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isPythonSpace(caption.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(caption.substring(start, i));
            }
        }
        return out.isEmpty() ? NONE : out.toArray(NONE);
    }

    /** Python {@code split(" ")}: every single space separates, and empty tokens are kept. */
    static String[] singleSpace(String caption) {
        // limit -1 keeps trailing empty strings, as Python does
        return caption.split(" ", -1);
    }

    /**
     * Python's {@code str.isspace()} for one character. Java's {@link Character#isWhitespace} differs:
     * it leaves out the no-break spaces U+00A0, U+2007, U+202F and NEXT LINE U+0085, which Python
     * splits on. (U+2007 is category Zs, so Python counts it too.)
     */
    static boolean isPythonSpace(char c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= '\u001f');
        }
        return c == '\u0085' || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a')
                || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }
}
