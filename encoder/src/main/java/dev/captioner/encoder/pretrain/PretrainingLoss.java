package dev.captioner.encoder.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The pretraining objective: on the global head's {@link SceneTargets} row, binary cross-entropy on the
 * colour-shape pairs and on the occupied cells (multi-label) and softmax cross-entropy on the object
 * count; on the dense head, binary cross-entropy of every location's pairs (and sizes). Each is summed over its
 * labels (and locations), averaged over the batch, and the four are added.
 */
public final class PretrainingLoss extends Loss {
    private final SceneTargets targets;

    public PretrainingLoss(SceneTargets targets) {
        super("pretraining");
        this.targets = targets;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.get(0); // (B, W)
        NDArray y = labels.get(0); // (B, W)
        NDArray denseLogits = predictions.get(1); // (B, L, dense labels)
        NDArray denseY = labels.get(1); // (B, L, dense labels)
        int p = SceneTargets.PAIRS;
        int k = targets.maxObjects();
        int w = targets.width();
        NDArray pairs = binaryCrossEntropy(logits.get(":, 0:" + p), y.get(":, 0:" + p));
        NDArray count = logits.get(":, " + p + ":" + (p + k)).logSoftmax(1).mul(y.get(":, " + p + ":" + (p + k)))
                .sum(new int[] {1}).neg().mean();
        NDArray cells = binaryCrossEntropy(logits.get(":, " + (p + k) + ":" + w), y.get(":, " + (p + k) + ":" + w));
        long b = denseLogits.getShape().get(0);
        NDArray dense = binaryCrossEntropy(denseLogits.reshape(b, -1), denseY.reshape(b, -1));
        return pairs.add(count).add(cells).add(dense);
    }

    /**
     * Mean over the batch of the summed per-label loss, in the stable form
     * max(x, 0) - x y + log(1 + exp(-|x|)).
     */
    static NDArray binaryCrossEntropy(NDArray logits, NDArray y) {
        NDArray perLabel = logits.maximum(0f).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log());
        return perLabel.sum(new int[] {1}).mean();
    }
}
