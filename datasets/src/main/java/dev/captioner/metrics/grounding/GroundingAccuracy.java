package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.ObjectSize;
import dev.captioner.data.synth.SynthAnnotation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Grounding accuracy of an attention captioner on synth-scenes: does a word that names an object look
 * at that object?
 *
 * <p>For each generated word that names objects ({@link ObjectMention}: a shape noun, narrowed by the
 * colour and size words right before it), the targets are the image's objects that fit the words. The
 * word's attention peak is the centre of its grid's largest cell (the first in row-major order on a tie,
 * as numpy's argmax), mapped to image pixels through the {@link GridRegion} the grid covers. Then:
 * <ul>
 *   <li>no target: a <b>hallucination</b>, counted apart and not in the accuracy;
 *   <li>the peak inside the box of any target: a <b>hit</b>;
 *   <li>otherwise a <b>miss</b>.
 * </ul>
 * Accuracy = hits / (hits + misses); hallucination rate = hallucinations / object-naming words, also told by
 * the word a hallucination gets wrong ({@link ObjectMention#hallucination}: the size, the colour, both, or the shape).
 *
 * <p>A box {@code [x, y, w, h]} of whole pixels covers {@code [x, x+w) × [y, y+h)} in continuous pixel
 * coordinates (pixel i spans [i, i+1)). By size, a grounded word is counted under the size of the target
 * whose box holds the peak, else of the target nearest to the peak (Euclidean distance to the box, 0
 * inside; ties go to the earlier object): where all targets have one size, that is their size.
 *
 * <p>An instance accumulates: {@link #add} grounds one caption and counts it, {@link #report} tells the
 * totals so far. Not thread-safe.
 */
public final class GroundingAccuracy {
    private long images;
    private GroundingCounts overall = GroundingCounts.ZERO;
    private final Map<ObjectSize, GroundingCounts> bySize = new EnumMap<>(ObjectSize.class);
    private final Map<Integer, GroundingCounts> byObjectCount = new TreeMap<>();
    private final ObjectHallucinations hallucinations = new ObjectHallucinations(); // the same words, told by kind

    /** Grounds every caption and reports the totals. */
    public static GroundingReport evaluate(Collection<GroundingCase> cases) {
        GroundingAccuracy accuracy = new GroundingAccuracy();
        for (GroundingCase c : cases) {
            accuracy.add(c);
        }
        return accuracy.report();
    }

    /** Grounds one caption's object-naming words, in caption order, without counting them. */
    public static List<WordGrounding> ground(GroundingCase c) {
        List<WordGrounding> words = new ArrayList<>();
        for (ObjectMention mention : ObjectMention.find(c.words())) {
            double[] peak = peak(c, mention.index());
            List<SynthAnnotation> targets = mention.targets(c.objects());
            if (targets.isEmpty()) {
                words.add(new WordGrounding(mention, WordGrounding.Outcome.HALLUCINATION, peak[0], peak[1], targets, null));
                continue;
            }
            SynthAnnotation counted = null;
            double nearest = Double.POSITIVE_INFINITY;
            for (SynthAnnotation target : targets) {
                double d = distance(target.bbox(), peak[0], peak[1]);
                if (d < nearest) {
                    nearest = d;
                    counted = target;
                }
            }
            WordGrounding.Outcome outcome = nearest == 0 ? WordGrounding.Outcome.HIT : WordGrounding.Outcome.MISS;
            words.add(new WordGrounding(mention, outcome, peak[0], peak[1], targets, counted));
        }
        return words;
    }

    /** Grounds one caption and adds it to the totals; returns its words' grounding. */
    public List<WordGrounding> add(GroundingCase c) {
        List<WordGrounding> words = ground(c);
        images++;
        int count = c.objects().size();
        byObjectCount.putIfAbsent(count, GroundingCounts.ZERO);
        for (WordGrounding word : words) {
            overall = overall.plus(word.outcome());
            byObjectCount.put(count, byObjectCount.get(count).plus(word.outcome()));
            if (word.size() != null) {
                bySize.put(word.size(), bySize.getOrDefault(word.size(), GroundingCounts.ZERO).plus(word.outcome()));
            }
        }
        hallucinations.add(c.words(), c.objects());
        return words;
    }

    /** The totals so far. */
    public GroundingReport report() {
        return new GroundingReport(images, overall, bySize, new TreeMap<>(byObjectCount), hallucinations.byKind());
    }

    /** The centre of word {@code t}'s largest attention cell in image pixels: {x, y}. */
    static double[] peak(GroundingCase c, int t) {
        float[][] grid = c.alphas().get(t);
        int bestRow = -1;
        int bestCol = -1;
        float best = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < grid.length; r++) {
            for (int col = 0; col < grid[r].length; col++) {
                float v = grid[r][col];
                if (v > best || (bestRow < 0 && v == best)) {
                    best = v;
                    bestRow = r;
                    bestCol = col;
                }
            }
        }
        if (bestRow < 0) {
            throw new IllegalArgumentException("image " + c.imageId() + ": the attention grid of word " + t + " (\""
                    + c.words().get(t) + "\") holds no number");
        }
        return c.region().cellCentre(bestRow, bestCol, grid.length, grid[0].length);
    }

    /** The distance from (x, y) to the box {@code [x, x+w) × [y, y+h)}, 0 inside. */
    static double distance(BoundingBox box, double x, double y) {
        boolean inside = x >= box.x() && x < box.right() && y >= box.y() && y < box.bottom();
        if (inside) {
            return 0;
        }
        double dx = Math.max(0, Math.max(box.x() - x, x - box.right()));
        double dy = Math.max(0, Math.max(box.y() - y, y - box.bottom()));
        double d = Math.hypot(dx, dy);
        return d == 0 ? Double.MIN_VALUE : d; // on the right or bottom edge: outside, but nearest
    }
}
