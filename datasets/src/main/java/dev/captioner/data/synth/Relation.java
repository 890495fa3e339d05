package dev.captioner.data.synth;

/**
 * Where one object lies with respect to another, read from their box centres. A relation is only
 * stated where it is unambiguous: the centre offset along its axis is at least {@value #DOMINANCE}
 * times the offset across it (so the direction is within about 34 degrees of the axis) and at least a
 * margin ({@link Scene#relationMargin()}, a quarter of a grid cell), and the boxes do not share a pixel
 * column (or row). Two objects that are neither clearly side by side nor clearly one above the other,
 * such as two in diagonal cells, have no relation.
 */
public enum Relation {
    LEFT_OF("to the left of"),
    RIGHT_OF("to the right of"),
    ABOVE("above"),
    BELOW("below");

    /** How many times larger the offset along a relation's axis must be than the offset across it. */
    public static final double DOMINANCE = 1.5;

    private final String phrase;

    Relation(String phrase) {
        this.phrase = phrase;
    }

    /** The caption phrase: {@code to the left of}. */
    public String phrase() {
        return phrase;
    }

    /** The relation that holds with the roles swapped: {@code a LEFT_OF b} is {@code b RIGHT_OF a}. */
    public Relation inverse() {
        switch (this) {
            case LEFT_OF: return RIGHT_OF;
            case RIGHT_OF: return LEFT_OF;
            case ABOVE: return BELOW;
            default: return ABOVE;
        }
    }

    /** How {@code a} lies with respect to {@code b} ("a is to the left of b"), or null where no relation is clear. */
    public static Relation between(BoundingBox a, BoundingBox b, double margin) {
        double dx = b.centreX() - a.centreX();
        double dy = b.centreY() - a.centreY();
        if (Math.abs(dx) >= DOMINANCE * Math.abs(dy)) {
            if (Math.abs(dx) < margin) {
                return null;
            }
            if (dx > 0) {
                return a.right() <= b.x() ? LEFT_OF : null;
            }
            return b.right() <= a.x() ? RIGHT_OF : null;
        }
        if (Math.abs(dy) < DOMINANCE * Math.abs(dx) || Math.abs(dy) < margin) {
            return null;
        }
        if (dy > 0) {
            return a.bottom() <= b.y() ? ABOVE : null;
        }
        return b.bottom() <= a.y() ? BELOW : null;
    }

    @Override
    public String toString() {
        return phrase;
    }
}
