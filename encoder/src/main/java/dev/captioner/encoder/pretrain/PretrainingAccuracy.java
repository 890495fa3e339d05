package dev.captioner.encoder.pretrain;

/**
 * Held-out accuracy of a pretrained encoder, counted over images: whether the predicted set of
 * colour-shape pairs (logit above 0) is exactly the true set, the share of the pair labels predicted
 * right, whether the count is right, and whether the set of occupied cells is exactly right.
 */
public final class PretrainingAccuracy {
    private final SceneTargets targets;
    private long images;
    private long exactPairs;
    private long pairLabelsRight;
    private long countsRight;
    private long exactCells;
    private long objects;
    private long objectsNamed;
    private long objectsSized;

    public PretrainingAccuracy(SceneTargets targets) {
        this.targets = targets;
    }

    /**
     * Adds the dense head's answers: {@code logits} and {@code truth} are (B, L, dense labels), flattened.
     * At every location that holds an object's centre, the object counts as named when the top pair there
     * is one of the true ones, and (where sizes are named) as sized when the top size is a true one.
     */
    public void addDense(float[] logits, float[] truth) {
        int p = SceneTargets.PAIRS;
        int labels = targets.denseLabels();
        for (int o = 0; o < logits.length; o += labels) {
            boolean occupied = false;
            for (int i = 0; i < p; i++) {
                occupied |= truth[o + i] > 0.5f;
            }
            if (occupied) {
                objects++;
                objectsNamed += truth[o + top(logits, o, p)] > 0.5f ? 1 : 0;
                if (targets.denseSizes()) {
                    objectsSized += truth[o + p + top(logits, o + p, SceneTargets.SIZES)] > 0.5f ? 1 : 0;
                }
            }
        }
    }

    /** The index (from {@code from}) of the largest of {@code n} logits. */
    private static int top(float[] logits, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[from + i] > logits[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Objects whose colour and shape the dense head names right at the object's location. */
    public double objectsNamed() {
        return objects == 0 ? 0 : (double) objectsNamed / objects;
    }

    /** Objects whose size the dense head names right at the object's location; NaN where sizes are not named. */
    public double objectsSized() {
        return !targets.denseSizes() ? Double.NaN : objects == 0 ? 0 : (double) objectsSized / objects;
    }

    /** Adds a batch: {@code logits} and {@code truth} are (B, width) rows, flattened. */
    public void add(float[] logits, float[] truth) {
        int w = targets.width();
        int p = SceneTargets.PAIRS;
        int k = targets.maxObjects();
        for (int b = 0; b < logits.length / w; b++) {
            int o = b * w;
            boolean allPairs = true;
            for (int i = 0; i < p; i++) {
                boolean right = (logits[o + i] > 0) == (truth[o + i] > 0.5f);
                allPairs &= right;
                pairLabelsRight += right ? 1 : 0;
            }
            int predicted = 0;
            int actual = 0;
            for (int c = 0; c < k; c++) {
                if (logits[o + p + c] > logits[o + p + predicted]) {
                    predicted = c;
                }
                if (truth[o + p + c] > 0.5f) {
                    actual = c;
                }
            }
            boolean allCells = true;
            for (int i = p + k; i < w; i++) {
                allCells &= (logits[o + i] > 0) == (truth[o + i] > 0.5f);
            }
            images++;
            exactPairs += allPairs ? 1 : 0;
            countsRight += predicted == actual ? 1 : 0;
            exactCells += allCells ? 1 : 0;
        }
    }

    public long images() {
        return images;
    }

    /** Images whose colour-shape pairs were all predicted right. */
    public double exactPairs() {
        return images == 0 ? 0 : (double) exactPairs / images;
    }

    /** Pair labels (present or absent) predicted right. */
    public double pairLabels() {
        return images == 0 ? 0 : (double) pairLabelsRight / (images * (long) SceneTargets.PAIRS);
    }

    /** Images whose object count was predicted right. */
    public double count() {
        return images == 0 ? 0 : (double) countsRight / images;
    }

    /** Images whose occupied cells were all predicted right. */
    public double exactCells() {
        return images == 0 ? 0 : (double) exactCells / images;
    }

    @Override
    public String toString() {
        return String.format("objects named at their location %.3f%s, exact pair sets %.3f, pair labels %.4f, count %.3f,"
                + " exact cells %.3f (%d images)", objectsNamed(),
                targets.denseSizes() ? String.format(", sized %.3f", objectsSized()) : "", exactPairs(), pairLabels(), count(), exactCells(), images);
    }
}
