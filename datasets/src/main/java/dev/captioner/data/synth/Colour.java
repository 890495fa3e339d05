package dev.captioner.data.synth;

/**
 * The object colours of synth-scenes: saturated, far apart, each with one everyday name. Every object
 * is drawn in its colour's RGB with a small per-channel jitter ({@link #JITTER}), on a background of
 * muted greys ({@link Background}), so the name is never in doubt.
 */
public enum Colour {
    RED("red", 220, 40, 40),
    GREEN("green", 40, 170, 60),
    BLUE("blue", 40, 80, 225),
    YELLOW("yellow", 240, 210, 40),
    PURPLE("purple", 145, 55, 195),
    ORANGE("orange", 245, 130, 30);

    /** Each channel of an object's colour is its colour's value plus a uniform jitter in {@code [-JITTER, JITTER]}. */
    public static final int JITTER = 10;

    private final String word;
    private final int red;
    private final int green;
    private final int blue;

    Colour(String word, int red, int green, int blue) {
        this.word = word;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The caption word: {@code orange}. */
    public String word() {
        return word;
    }

    public int red() {
        return red;
    }

    public int green() {
        return green;
    }

    public int blue() {
        return blue;
    }

    /** The nominal colour packed as {@code 0xRRGGBB}. */
    public int rgb() {
        return (red << 16) | (green << 8) | blue;
    }

    /** The colour whose word is {@code word}, or null. */
    public static Colour fromWord(String word) {
        for (Colour colour : values()) {
            if (colour.word.equals(word)) {
                return colour;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word;
    }
}
