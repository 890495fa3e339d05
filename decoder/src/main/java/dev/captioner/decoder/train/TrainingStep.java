package dev.captioner.decoder.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.captioner.decoder.CaptionDecoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * One step of back-propagation through time on one batch: the decoder unrolled over the captions (teacher
 * forcing, or the model's own words where {@code feedTruth} says so), the loss of {@link #loss}, its gradients,
 * global-norm clipping and {@link Adam}'s update. {@link CaptionTrainer} runs it on the batches of the data; the
 * training benchmark on one fixed batch, so both time and train the same code.
 */
public final class TrainingStep {
    /** What one step did, and how long its three phases took. */
    public record Outcome(float loss, long forwardNanos, long backwardNanos, long updateNanos) {}

    private final CaptionDecoder decoder;
    private final TrainingConfig config;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Adam adam;
    private final GlobalNormClipping clipping;
    private final NDManager moments;
    /** Per word id, 1 where the entropy penalty applies; null: every word. */
    private final float[] entropyWords;

    /**
     * @param decoder an initialised decoder
     * @param adam    the optimiser, whose moments live in {@code moments}
     */
    public TrainingStep(CaptionDecoder decoder, TrainingConfig config, Adam adam, NDManager moments) {
        this(decoder, config, adam, moments, null);
    }

    /**
     * @param vocabulary maps the configuration's entropy words to ids (null where it names none)
     * @throws IllegalArgumentException with one line for an entropy word the vocabulary lacks
     */
    public TrainingStep(CaptionDecoder decoder, TrainingConfig config, Adam adam, NDManager moments,
            dev.captioner.data.text.Vocabulary vocabulary) {
        this.decoder = decoder;
        this.config = config;
        this.adam = adam;
        this.moments = moments;
        this.clipping = GlobalNormClipping.builder().setMaxNorm(config.clipNorm()).build();
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        java.util.List<String> words = config.entropyWords();
        if (words.isEmpty()) {
            this.entropyWords = null;
        } else {
            this.entropyWords = new float[config.decoder().vocabularySize()];
            for (String word : words) {
                if (vocabulary == null || !vocabulary.contains(word)) {
                    throw new IllegalArgumentException("attention-entropy word '" + word + "' is not in the vocabulary");
                }
                entropyWords[vocabulary.id(word)] = 1f;
            }
        }
    }

    /** The decoder's parameters by name, in its order. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * The training loss: CE (masked, per word) + the doubly stochastic regulariser (Xu et al. eq. 14) + the
     * attention-entropy penalty, each where the configuration weighs it above 0 and the decoder attends.
     */
    public NDArray loss(CaptionDecoder.Unrolled unrolled, NDArray targets, NDArray mask, long step) {
        return loss(unrolled, targets, mask, null, step);
    }

    /**
     * As {@link #loss(CaptionDecoder.Unrolled, NDArray, NDArray, long)}, plus supervised attention
     * ({@link CaptionLoss#attentionSupervision}) where {@code lookAt} is given and the configuration weighs it.
     *
     * @param lookAt (B, T, L) 1 at the cells each step's target word should look at; null: none
     */
    public NDArray loss(CaptionDecoder.Unrolled unrolled, NDArray targets, NDArray mask, NDArray lookAt, long step) {
        NDArray value = CaptionLoss.crossEntropy(unrolled.logits(), targets, mask);
        if (config.decoder().attention() && config.doublyStochastic() > 0) {
            value = value.add(CaptionLoss.doublyStochastic(unrolled.alphas(), mask, config.doublyStochastic(), config.regularizerScale()));
        }
        float entropyWeight = config.attentionEntropyAt(step);
        if (config.decoder().attention() && entropyWeight > 0) {
            value = value.add(CaptionLoss.attentionEntropy(unrolled.alphas(), entropyMask(targets, mask), entropyWeight));
        }
        if (config.decoder().attention() && config.attentionSupervision() > 0 && lookAt != null) {
            value = value.add(CaptionLoss.attentionSupervision(unrolled.alphas(), lookAt, config.attentionSupervision()));
        }
        return value;
    }

    /** The mask of the steps whose target word the entropy penalty applies to (B, T): all unmasked steps by default. */
    private NDArray entropyMask(NDArray targets, NDArray mask) {
        if (entropyWords == null) {
            return mask;
        }
        long[] ids = targets.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        float[] chosen = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            chosen[i] = ids[i] >= 0 && ids[i] < entropyWords.length ? entropyWords[(int) ids[i]] : 0f;
        }
        return mask.mul(mask.getManager().create(chosen, mask.getShape())); // (B, T)
    }

    /**
     * Runs the step; every array it makes lands in {@code scope}, which the caller closes.
     *
     * @param grid      (B, L, D) annotation vectors (the plain decoder ignores them)
     * @param pooled    (B, D) pooled vectors
     * @param inputs    (B, T) {@code <start>} and the words fed at each step
     * @param targets   (B, T) the next word at each step
     * @param mask      (B, T) 1 at words and {@code <end>}, 0 at padding
     * @param feedTruth (B, T) true where the ground-truth word is fed; null: teacher forcing throughout
     * @param coins     draws the fed-back words under scheduled sampling
     * @param rate      this step's learning rate
     * @param step      the training step, from 1 (the attention-entropy warm-up reads it)
     */
    public Outcome run(NDManager scope, NDArray grid, NDArray pooled, NDArray inputs, NDArray targets, NDArray mask,
            boolean[][] feedTruth, Random coins, float rate, long step) {
        return run(scope, grid, pooled, inputs, targets, mask, null, feedTruth, coins, rate, step);
    }

    /**
     * As {@link #run(NDManager, NDArray, NDArray, NDArray, NDArray, NDArray, boolean[][], Random, float, long)}, with
     * the cells each step's word should look at, (B, T, L), for supervised attention (null: none).
     */
    public Outcome run(NDManager scope, NDArray grid, NDArray pooled, NDArray inputs, NDArray targets, NDArray mask,
            NDArray lookAt, boolean[][] feedTruth, Random coins, float rate, long step) {
        ParameterStore ps = new ParameterStore(scope, false);
        long start = System.nanoTime();
        long forward;
        long backward;
        float loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            CaptionDecoder.Unrolled unrolled = decoder.unroll(ps, grid, pooled, inputs, feedTruth, config.samplingMode(), coins, true);
            NDArray value = loss(unrolled, targets, mask, lookAt, step);
            loss = value.getFloat(); // libtorch runs eagerly on the CPU: the forward pass is done here
            forward = System.nanoTime();
            collector.backward(value);
            backward = System.nanoTime();
        }
        float scale = (float) clipping.scale(parameters.values(), scope); // global-norm clipping, applied inside Adam's pass
        adam.step(parameters, rate, scale, scope, moments);
        long end = System.nanoTime();
        return new Outcome(loss, forward - start, backward - forward, end - backward);
    }
}
