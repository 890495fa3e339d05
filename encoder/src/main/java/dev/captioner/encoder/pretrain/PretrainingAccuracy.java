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

    public PretrainingAccuracy(SceneTargets targets) {
        this.targets = targets;
    }

    /**
     * Adds the dense head's answers: {@code logits} and {@code truth} are (B, L, PAIRS), flattened. At
     * every location that holds an object's centre, the object counts as named when the top pair there
     * is one of the true ones.
     */
    public void addDense(float[] logits, float[] truth) {
        int p = SceneTargets.PAIRS;
        for (int o = 0; o < logits.length; o += p) {
            boolean occupied = false;
            int best = 0;
            for (int i = 0; i < p; i++) {
                occupied |= truth[o + i] > 0.5f;
                if (logits[o + i] > logits[o + best]) {
                    best = i;
                }
            }
            if (occupied) {
                objects++;
                objectsNamed += truth[o + best] > 0.5f ? 1 : 0;
            }
        }
    }

    /** Objects whose colour and shape the dense head names right at the object's location. */
    public double objectsNamed() {
        return objects == 0 ? 0 : (double) objectsNamed / objects;
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
        return String.format("objects named at their location %.3f, exact pair sets %.3f, pair labels %.4f, count %.3f,"
                + " exact cells %.3f (%d images)", objectsNamed(), exactPairs(), pairLabels(), count(), exactCells(), images);
    }
}
