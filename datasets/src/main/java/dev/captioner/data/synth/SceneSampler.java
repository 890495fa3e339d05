package dev.captioner.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws random scenes: 1 to {@code maxObjects} objects (uniform), each in its own cell of the 3×3
 * grid, with a uniform shape, colour and size, no two sharing both colour and shape (so "the red
 * circle" names one object). An object's centre is jittered uniformly over every place that keeps its
 * box inside its cell with one pixel to spare on each side, so boxes never overlap and never touch.
 *
 * <p>The result depends only on the random generator handed in, never on shared state.
 */
public final class SceneSampler {
    /**
     * The smallest image side: a cell of 21 pixels still holds a large object with room to move, but a
     * small object is only 7 to 9 pixels wide there and a small hexagon looks much like a circle. From 96
     * pixels up every shape is recognisable at both sizes.
     */
    public static final int MIN_SIZE = 64;
    /** The largest image side. */
    public static final int MAX_SIZE = 4096;
    /** At most one object per grid cell. */
    public static final int MAX_OBJECTS = Position.GRID * Position.GRID;

    private final int size;
    private final int maxObjects;

    public SceneSampler(int size, int maxObjects) {
        this.size = checkSize(size);
        this.maxObjects = checkMaxObjects(maxObjects);
    }

    public int size() {
        return size;
    }

    public int maxObjects() {
        return maxObjects;
    }

    /** Draws the scene of image {@code index}; the same generator state gives the same scene. */
    public Scene sample(int index, SplittableRandom random) {
        Background background = sampleBackground(random);
        int count = 1 + random.nextInt(maxObjects);
        Position[] cells = Position.values().clone();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(cells.length - i);
            Position swap = cells[i];
            cells[i] = cells[j];
            cells[j] = swap;
        }
        Position[] chosen = Arrays.copyOf(cells, count);
        Arrays.sort(chosen);
        Set<Integer> kinds = new HashSet<>();
        List<SceneObject> objects = new ArrayList<>(count);
        for (Position cell : chosen) {
            Shape shape;
            Colour colour;
            do {
                shape = Shape.values()[random.nextInt(Shape.values().length)];
                colour = Colour.values()[random.nextInt(Colour.values().length)];
            } while (!kinds.add(shape.ordinal() * Colour.values().length + colour.ordinal()));
            ObjectSize objectSize = ObjectSize.values()[random.nextInt(ObjectSize.values().length)];
            objects.add(place(cell, shape, colour, objectSize, random));
        }
        return new Scene(index, size, background, objects, random.nextLong());
    }

    private SceneObject place(Position cell, Shape shape, Colour colour, ObjectSize objectSize, SplittableRandom random) {
        int left = cell.left(size);
        int right = cell.right(size);
        int top = cell.top(size);
        int bottom = cell.bottom(size);
        int side = Math.min(right - left, bottom - top);
        double radius = side * (objectSize.minRadius() + random.nextDouble() * (objectSize.maxRadius() - objectSize.minRadius()));
        // The box spans floor(min)..ceil(max) inclusive; keep it within [left + 1, right - 2] and likewise for rows.
        double centreX = jitter(left + 1 - radius * shape.minX(), right - 2 - radius * shape.maxX(), random);
        double centreY = jitter(top + 1 - radius * shape.minY(), bottom - 2 - radius * shape.maxY(), random);
        int rgb = Background.rgb(jitterChannel(colour.red(), random), jitterChannel(colour.green(), random),
                jitterChannel(colour.blue(), random));
        BoundingBox box = SceneObject.boxOf(shape, centreX, centreY, radius);
        return new SceneObject(shape, colour, objectSize, cell, centreX, centreY, radius, rgb, box);
    }

    private static double jitter(double low, double high, SplittableRandom random) {
        if (high < low) {
            throw new IllegalStateException("no room for an object in a cell of this size; the size check should have caught it");
        }
        return low + random.nextDouble() * (high - low);
    }

    private static int jitterChannel(int value, SplittableRandom random) {
        return Math.max(0, Math.min(255, value + random.nextInt(2 * Colour.JITTER + 1) - Colour.JITTER));
    }

    private static Background sampleBackground(SplittableRandom random) {
        int grey = Background.GREY_MIN + random.nextInt(Background.GREY_MAX - Background.GREY_MIN + 1);
        int step = 40 + random.nextInt(41);
        int other = random.nextBoolean() ? grey + step : grey - step;
        if (other > Background.GREY_MAX || other < Background.GREY_MIN) {
            other = other > grey ? grey - step : grey + step;
        }
        other = Math.max(Background.GREY_MIN, Math.min(Background.GREY_MAX, other));
        return new Background(tinted(grey, random), tinted(other, random), random.nextDouble() * 2 * Math.PI);
    }

    private static int tinted(int grey, SplittableRandom random) {
        int span = 2 * Background.TINT + 1;
        return Background.rgb(grey + random.nextInt(span) - Background.TINT, grey + random.nextInt(span) - Background.TINT,
                grey + random.nextInt(span) - Background.TINT);
    }

    static int checkSize(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be between " + MIN_SIZE + " and " + MAX_SIZE
                    + " pixels (below " + MIN_SIZE + " the small objects of a 3x3 grid are too few pixels to recognise), got " + size);
        }
        return size;
    }

    static int checkMaxObjects(int maxObjects) {
        if (maxObjects < 1 || maxObjects > MAX_OBJECTS) {
            throw new IllegalArgumentException("max objects must be between 1 and " + MAX_OBJECTS
                    + " (one object per cell of the 3x3 grid), got " + maxObjects);
        }
        return maxObjects;
    }
}
