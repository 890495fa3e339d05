package dev.captioner.data.synth;

/**
 * The kinds of synth-scenes caption, each with an example. {@link SceneCaptions} fills them in from a
 * scene; a template that does not fit a scene (a relation in a one-object scene) is skipped. Objects
 * are named by colour and shape ("the red circle"), which is unique within a scene, sometimes with
 * their size; lists and counts follow the reading order of the grid cells.
 */
public enum CaptionTemplate {
    /** The number of objects. */
    COUNT("there are three shapes"),
    /** Every object with size, colour and shape. */
    LIST("a large red circle a small blue square and a large green star"),
    /** The number of objects and one of them ("a single blue square" when alone). */
    COUNT_INCLUDING("three shapes including a blue square"),
    /** One object and its cell. */
    POSITION("a red circle in the top left corner"),
    /** One object, with its size, and its cell, as a sentence. */
    WHERE("the large red circle is in the top left corner"),
    /** Two objects and their cells; two or more objects. */
    POSITIONS("a red circle in the top left corner and a blue square at the bottom"),
    /** How one object lies with respect to another; needs a pair with a clear {@link Relation}. */
    RELATION("the red circle is to the left of the blue square"),
    /** A relation between two objects named with their sizes. */
    SIZED_RELATION("a small red circle above a large green star"),
    /** The number of objects and a relation. */
    COUNT_RELATION("three shapes with the red circle above the blue star"),
    /** How many objects of each size. */
    SIZE_COUNT("two large shapes and one small shape"),
    /** How many objects of each colour. */
    COLOUR_COUNT("two red shapes and one blue shape"),
    /** How many objects of each shape. */
    SHAPE_COUNT("two circles and one star");

    private final String example;

    CaptionTemplate(String example) {
        this.example = example;
    }

    /** A caption this template makes. */
    public String example() {
        return example;
    }
}
