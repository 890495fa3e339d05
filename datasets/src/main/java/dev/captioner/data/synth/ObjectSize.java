package dev.captioner.data.synth;

/**
 * The two object sizes, as a fraction of the grid cell's side: an object's radius (half the width of
 * its box for most shapes) is drawn uniformly from {@code [minRadius, maxRadius]} times the cell side.
 * Large objects are about twice as wide as small ones, and even a large one leaves room to move inside
 * its cell.
 */
public enum ObjectSize {
    SMALL("small", 0.17, 0.22),
    LARGE("large", 0.34, 0.42);

    private final String word;
    private final double minRadius;
    private final double maxRadius;

    ObjectSize(String word, double minRadius, double maxRadius) {
        this.word = word;
        this.minRadius = minRadius;
        this.maxRadius = maxRadius;
    }

    /** The caption word: {@code small}. */
    public String word() {
        return word;
    }

    /** The smallest radius, as a fraction of the cell side. */
    public double minRadius() {
        return minRadius;
    }

    /** The largest radius, as a fraction of the cell side. */
    public double maxRadius() {
        return maxRadius;
    }

    /** The size whose word is {@code word}, or null. */
    public static ObjectSize fromWord(String word) {
        for (ObjectSize size : values()) {
            if (size.word.equals(word)) {
                return size;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word;
    }
}
