package dev.captioner.data.synth;

import java.util.List;

/**
 * Everything that decides one synth-scenes image: its index, its side in pixels, the background, the
 * objects (in reading order of their grid cells, at most one per cell, no two with the same colour and
 * shape) and the seed of its pixel noise. {@link SceneRenderer} draws it; {@link SceneCaptions}
 * describes it.
 */
public record Scene(int index, int size, Background background, List<SceneObject> objects, long noiseSeed) {
    public Scene {
        objects = List.copyOf(objects);
    }

    /** The side of a grid cell in pixels (the smallest one where the side does not divide by 3). */
    public int cellSize() {
        return size / Position.GRID;
    }

    /** How far apart two centres must be, along a relation's axis, for the relation to be stated: a quarter cell. */
    public double relationMargin() {
        return cellSize() / 4.0;
    }

    /** How {@code a} lies with respect to {@code b}, or null where no relation is clear; see {@link Relation}. */
    public Relation relation(SceneObject a, SceneObject b) {
        return Relation.between(a.box(), b.box(), relationMargin());
    }
}
