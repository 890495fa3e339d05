package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void whitespaceSplitsLikePythonStrSplit() {
        // Python's str.split() also splits on no-break spaces, which Character.isWhitespace does not
        assertArrayEquals(new String[] {"a", "b", "c", "d"}, Tokens.whitespace("  a\tb\u00a0c\u202f\u0085d\n"));
        assertArrayEquals(new String[0], Tokens.whitespace(""));
        assertArrayEquals(new String[0], Tokens.whitespace(" \t "));
    }

    @Test
    void singleSpaceKeepsEmptyTokensLikePythonSplitSpace() {
        assertArrayEquals(new String[] {"a", "", "b", ""}, Tokens.singleSpace("a  b "));
        assertArrayEquals(new String[] {""}, Tokens.singleSpace(""));
        assertArrayEquals(new String[] {"a\tb"}, Tokens.singleSpace("a\tb"));
    }
}
