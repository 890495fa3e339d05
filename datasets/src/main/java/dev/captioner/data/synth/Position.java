package dev.captioner.data.synth;

/**
 * The nine cells of the 3×3 grid every scene is laid out on, in reading order, each with the phrase
 * that says where an object in it is. An object lies wholly inside its cell, so "in the top left
 * corner" means "in the top third and the left third of the image".
 */
public enum Position {
    TOP_LEFT("in the top left corner"),
    TOP("at the top"),
    TOP_RIGHT("in the top right corner"),
    LEFT("on the left"),
    CENTER("in the center"),
    RIGHT("on the right"),
    BOTTOM_LEFT("in the bottom left corner"),
    BOTTOM("at the bottom"),
    BOTTOM_RIGHT("in the bottom right corner");

    /** Cells per side of the grid. */
    public static final int GRID = 3;

    private final String phrase;

    Position(String phrase) {
        this.phrase = phrase;
    }

    /** The caption phrase: {@code in the top left corner}. */
    public String phrase() {
        return phrase;
    }

    /** 0 (top) to 2 (bottom). */
    public int row() {
        return ordinal() / GRID;
    }

    /** 0 (left) to 2 (right). */
    public int column() {
        return ordinal() % GRID;
    }

    public static Position of(int row, int column) {
        return values()[row * GRID + column];
    }

    /** The first pixel column of this cell in an image {@code size} pixels wide. */
    public int left(int size) {
        return column() * size / GRID;
    }

    /** One past the last pixel column of this cell. */
    public int right(int size) {
        return (column() + 1) * size / GRID;
    }

    /** The first pixel row of this cell. */
    public int top(int size) {
        return row() * size / GRID;
    }

    /** One past the last pixel row of this cell. */
    public int bottom(int size) {
        return (row() + 1) * size / GRID;
    }

    @Override
    public String toString() {
        return phrase;
    }
}
