package dev.captioner.encoder.pretrain;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.Colour;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.Shape;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.List;

/**
 * What the encoder is pretrained to tell from a synth-scenes image, made from its {@code instances.json}
 * annotations: which colour-shape pairs are present (multi-label), how many objects there are (one
 * class per count), and which cells of the 3x3 layout grid are occupied (multi-label, so the features
 * keep where things are, which the attention decoder needs). Dense targets name, at each location of
 * the encoder's grid, the pair of the object centred there and, where asked for, its size.
 */
public final class SceneTargets {
    /** Colour-shape pairs: shape-major, {@code shape.ordinal() * colours + colour.ordinal()}. */
    public static final int PAIRS = Shape.values().length * Colour.values().length;
    /** Cells of the layout grid. */
    public static final int CELLS = 9;

    /** Object sizes, after the pairs in a dense row where sizes are named. */
    public static final int SIZES = ObjectSize.values().length;

    private final int maxObjects;
    private final boolean denseSizes;

    /** Targets for scenes of 1 to {@code maxObjects} objects; dense rows name pairs only. */
    public SceneTargets(int maxObjects) {
        this(maxObjects, false);
    }

    /**
     * Targets for scenes of 1 to {@code maxObjects} objects; with {@code denseSizes} each location's dense row
     * also names the size of the object centred there, so the grid's features carry the size words of the
     * captions (small, large), not just colour and shape.
     */
    public SceneTargets(int maxObjects, boolean denseSizes) {
        if (maxObjects < 1) {
            throw new IllegalArgumentException("maxObjects must be at least 1, got " + maxObjects);
        }
        this.maxObjects = maxObjects;
        this.denseSizes = denseSizes;
    }

    public int maxObjects() {
        return maxObjects;
    }

    /** Whether dense rows name sizes. */
    public boolean denseSizes() {
        return denseSizes;
    }

    /** Labels of one location's dense row: the pairs, then (with sizes) the sizes. */
    public int denseLabels() {
        return PAIRS + (denseSizes ? SIZES : 0);
    }

    /** Width of one target row: pairs, then count classes, then cells. */
    public int width() {
        return PAIRS + maxObjects + CELLS;
    }

    /** Index of a colour-shape pair. */
    public static int pair(Shape shape, Colour colour) {
        return shape.ordinal() * Colour.values().length + colour.ordinal();
    }

    /** The word pair of a pair index, e.g. {@code red circle}. */
    public static String pairName(int pair) {
        int colours = Colour.values().length;
        return Colour.values()[pair % colours].word() + " " + Shape.values()[pair / colours].word();
    }

    /**
     * Writes one image's targets into {@code row} at {@code offset}: multi-hot pairs, one-hot count,
     * multi-hot cells.
     */
    public void fill(List<SynthAnnotation> objects, int imageSize, float[] row, int offset) {
        if (objects.isEmpty() || objects.size() > maxObjects) {
            throw new IllegalArgumentException("a scene needs 1 to " + maxObjects + " objects, this one has " + objects.size());
        }
        for (SynthAnnotation object : objects) {
            row[offset + pair(object.shape(), object.colour())] = 1f;
            row[offset + PAIRS + maxObjects + cell(object.bbox(), imageSize)] = 1f;
        }
        row[offset + PAIRS + objects.size() - 1] = 1f;
    }

    /**
     * Writes one image's dense targets into {@code dense} at {@code offset}: for each of the
     * {@code side} x {@code side} locations of the encoder's grid (row-major), a multi-hot row over the
     * pairs whose object has its centre in that location, then (with sizes) over their sizes.
     * Shape (L, {@link #denseLabels()}), flattened.
     */
    public void fillDense(List<SynthAnnotation> objects, int imageSize, int side, float[] dense, int offset) {
        int labels = denseLabels();
        for (SynthAnnotation object : objects) {
            BoundingBox box = object.bbox();
            int column = Math.min(side - 1, (int) ((box.x() + box.width() / 2.0) * side / imageSize));
            int row = Math.min(side - 1, (int) ((box.y() + box.height() / 2.0) * side / imageSize));
            int at = offset + (row * side + column) * labels;
            dense[at + pair(object.shape(), object.colour())] = 1f;
            if (denseSizes) {
                dense[at + PAIRS + object.size().ordinal()] = 1f;
            }
        }
    }

    /** The layout cell (row-major, 0..8) that holds a box's centre. */
    static int cell(BoundingBox box, int imageSize) {
        double cx = box.x() + box.width() / 2.0;
        double cy = box.y() + box.height() / 2.0;
        int column = Math.min(2, (int) (cx * 3 / imageSize));
        int row = Math.min(2, (int) (cy * 3 / imageSize));
        return row * 3 + column;
    }
}
