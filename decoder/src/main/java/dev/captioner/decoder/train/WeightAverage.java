package dev.captioner.decoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the decoder's weights (Polyak and Juditsky 1992), the weights a run validates,
 * keeps as its best checkpoint and is tested with, while Adam goes on updating the raw ones:
 *
 * <pre>
 *   θ̄_t = d_t θ̄_{t-1} + (1 - d_t) θ_t        d_t = min(d, (1 + t) / (10 + t))
 * </pre>
 *
 * The warm-up of d_t (as TensorFlow's {@code ExponentialMovingAverage} with {@code num_updates}) lets the average
 * forget the random initial weights in the first steps. Why: validation CIDEr-D of one run swings by ±0.15 from
 * epoch to epoch at the rates the runs end with, so the checkpoint picked is partly the luck of the last steps;
 * the average of the last few thousand steps is steadier.
 *
 * <p>The average lives in its own manager. {@link #swap} exchanges it with the decoder's weights exactly (no
 * arithmetic touches either set), so validating or saving the average and swapping back leaves training where
 * it was, and a resumed run repeats the uninterrupted one.
 */
public final class WeightAverage implements AutoCloseable {
    private final float decay;
    private final Map<String, Parameter> parameters;
    private final NDManager manager;
    private final Map<String, NDArray> average = new LinkedHashMap<>();

    /**
     * Starts the average at the parameters' current values.
     *
     * @param decay      d in (0, 1): the weight of the past at each update; 0.999 averages over about 1,000 steps
     * @param parameters the decoder's parameters, by name
     * @param parent     the manager the average's own manager is made under
     */
    public WeightAverage(float decay, Map<String, Parameter> parameters, NDManager parent) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("the weight-average decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        reset();
    }

    /** The average restarts at the parameters' current values (e.g. those a checkpoint saved as the average). */
    public void reset() {
        average.values().forEach(NDArray::close);
        average.clear();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray copy = entry.getValue().getArray().duplicate();
            copy.attach(manager);
            average.put(entry.getKey(), copy);
        }
    }

    /** d_t after {@code updates} updates (t counted from 1). */
    public float decayAt(long updates) {
        return (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** Folds the parameters after update {@code updates} (from 1) into the average, in place. */
    public void update(long updates) {
        float keep = decayAt(updates);
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray mean = average.get(entry.getKey());
            // θ̄ - (1 - d)(θ̄ - θ) = d θ̄ + (1 - d) θ; the difference is made with θ̄ as receiver, so in the average's manager.
            try (NDArray difference = mean.sub(entry.getValue().getArray())) {
                mean.subi(difference.muli(1f - keep));
            }
        }
    }

    /**
     * Exchanges the average with the parameters' values: afterwards the decoder holds the average and this object
     * the raw weights. A second call swaps them back. Exact: {@code p - p + a} is {@code a} for every finite float.
     */
    public void swap() {
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            NDArray held = weight.duplicate();
            held.attach(manager);
            NDArray mean = average.put(entry.getKey(), held);
            weight.subi(weight).addi(mean);
            mean.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
