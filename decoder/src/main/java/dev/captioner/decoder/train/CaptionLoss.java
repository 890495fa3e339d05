package dev.captioner.decoder.train;

import ai.djl.ndarray.NDArray;

/**
 * The training loss of the decoders: masked cross-entropy over padded captions, plus, for the attention
 * decoders, the doubly stochastic regulariser of Xu et al. 2015 (eq. 14), which pushes every location
 * to receive about as much attention over the caption as the others.
 */
public final class CaptionLoss {
    private CaptionLoss() {}

    /**
     * CE = sum_{b,t} mask[b,t] * -log softmax(logits[b,t])[targets[b,t]] / sum_{b,t} mask[b,t].
     *
     * @param logits  (B, T, V)
     * @param targets (B, T) integer ids of the next word
     * @param mask    (B, T) float, 1 where the target is a word or {@code <end>}, 0 at padding
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray mask) {
        NDArray logProbabilities = logits.logSoftmax(2); // (B, T, V)
        NDArray picked = logProbabilities.gather(targets.toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(2), 2)
                .squeeze(2); // (B, T)
        return picked.mul(mask).sum().neg().div(mask.sum());
    }

    /**
     * R = lambda * (1/B) * sum_b sum_l (1 - sum_{t: mask[b,t] = 1} alpha[b,t,l])^2.
     *
     * @param alphas (B, T, L) attention weights of each step
     * @param mask   (B, T) float
     */
    public static NDArray doublyStochastic(NDArray alphas, NDArray mask, float lambda) {
        return doublyStochastic(alphas, mask, lambda, RegularizerScale.IMAGE);
    }

    /**
     * R = lambda * S / N with S = sum_b sum_l (1 - sum_{t: mask[b,t] = 1} alpha[b,t,l])^2 and N as
     * {@code scale} says: B, the words sum_{b,t} mask[b,t], or B·L.
     *
     * @param alphas (B, T, L) attention weights of each step
     * @param mask   (B, T) float
     */
    public static NDArray doublyStochastic(NDArray alphas, NDArray mask, float lambda, RegularizerScale scale) {
        long b = alphas.getShape().get(0);
        long l = alphas.getShape().get(2);
        NDArray attended = alphas.mul(mask.expandDims(2)).sum(new int[] {1}); // (B, L)
        NDArray sum = attended.neg().add(1f).square().sum();
        switch (scale) {
            case WORD: return sum.div(mask.sum()).mul(lambda);
            case LOCATION: return sum.div((float) (b * l)).mul(lambda);
            default: return sum.div((float) b).mul(lambda);
        }
    }
}
