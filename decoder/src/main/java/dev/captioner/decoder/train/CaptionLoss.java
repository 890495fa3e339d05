package dev.captioner.decoder.train;

import ai.djl.ndarray.NDArray;

/**
 * The training loss of the decoders: masked cross-entropy over padded captions, plus, for the attention
 * decoders, the doubly stochastic regulariser of Xu et al. 2015 (eq. 14), which pushes every location
 * to receive about as much attention over the caption as the others, and optionally a penalty on the entropy
 * of each step's attention, which pushes each word to look at few locations.
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

    /**
     * H = gamma * sum_{b,t} mask[b,t] * (-sum_l alpha[b,t,l] log alpha[b,t,l]) / sum_{b,t} mask[b,t]: the mean
     * entropy of one word's attention, in nats. Soft attention may spread its weight over every location that
     * tells the word apart and still predict it; a word that must draw its context from few locations has to
     * find the right ones (a soft stand-in for the hard attention of Xu et al. 2015, section 4.1).
     *
     * @param alphas (B, T, L) attention weights of each step
     * @param mask   (B, T) float
     */
    public static NDArray attentionEntropy(NDArray alphas, NDArray mask, float gamma) {
        NDArray entropy = alphas.mul(alphas.add(1e-8f).log()).sum(new int[] {2}).neg(); // (B, T)
        return entropy.mul(mask).sum().div(mask.sum()).mul(gamma);
    }

    /**
     * S = mu * sum_{b,t} w[b,t] * -log(sum_l alpha[b,t,l] g[b,t,l]) / sum_{b,t} w[b,t], with w[b,t] = 1 where the word
     * has cells to look at ({@code g} is 1 at them): the attention mass on the named object, pushed towards 1. This is
     * the "attention correctness" of Liu et al. 2017 made a loss: it asks the word to look inside the object's box and
     * leaves where inside free (a map spread evenly over the box is not required, as a cross-entropy to the box would).
     *
     * @param alphas  (B, T, L) attention weights of each step
     * @param targets (B, T, L) float, 1 at the cells the step's target word should look at, 0 elsewhere and on
     *                unsupervised steps
     * @param mu      the weight
     */
    public static NDArray attentionSupervision(NDArray alphas, NDArray targets, float mu) {
        NDArray supervised = targets.max(new int[] {2}); // (B, T): 1 where the word has cells
        NDArray inside = alphas.mul(targets).sum(new int[] {2}); // (B, T)
        NDArray nll = inside.add(1e-6f).log().neg().mul(supervised);
        return nll.sum().div(supervised.sum().maximum(1f)).mul(mu);
    }
}
