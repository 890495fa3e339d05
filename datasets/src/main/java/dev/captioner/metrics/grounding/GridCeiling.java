package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The most grounding accuracy a grid allows: a word's peak is the centre of one cell ({@link GroundingAccuracy}),
 * so an object whose box holds no cell centre can never be hit. The ceiling is the share of objects whose box
 * ({@code [x, x+w) × [y, y+h)}) holds at least one, overall and by size. On synth-scenes at 224 pixels a
 * 4 × 4 grid has centres 56 pixels apart, wider than a small object (26 to 33 pixels): about 3 in 10 small
 * objects hold one.
 */
public final class GridCeiling {
    private long objects;
    private long reachable;
    private final Map<ObjectSize, long[]> bySize = new EnumMap<>(ObjectSize.class); // {objects, reachable}

    /** Adds one image's objects, its grid {@code rows × cols} lying over {@code region}. */
    public void add(List<SynthAnnotation> inImage, GridRegion region, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a grid needs at least one row and one column, got " + rows + " x " + cols);
        }
        for (SynthAnnotation object : inImage) {
            boolean holds = holdsCentre(object.bbox(), region, rows, cols);
            objects++;
            long[] counts = bySize.computeIfAbsent(object.size(), s -> new long[2]);
            counts[0]++;
            if (holds) {
                reachable++;
                counts[1]++;
            }
        }
    }

    /** Whether the box holds the centre of any cell of the grid. */
    static boolean holdsCentre(BoundingBox box, GridRegion region, int rows, int cols) {
        return !region.cellsCentredIn(box, rows, cols).isEmpty();
    }

    /** The share of all objects a peak can reach; NaN before any object. */
    public double ceiling() {
        return objects == 0 ? Double.NaN : (double) reachable / objects;
    }

    /** The share of objects of one size a peak can reach; NaN where there are none. */
    public double ceiling(ObjectSize size) {
        long[] counts = bySize.get(size);
        return counts == null || counts[0] == 0 ? Double.NaN : (double) counts[1] / counts[0];
    }
}
