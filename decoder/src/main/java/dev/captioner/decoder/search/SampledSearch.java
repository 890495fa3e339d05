package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.decoder.CaptionDecoder;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Sampling, batched over images: at every step each unfinished caption draws its next word from the
 * model's distribution sharpened or flattened by a temperature T and cut to the k most likely words
 * (top-k sampling, Fan et al. 2018):
 *
 * <pre>
 *   q(w) proportional to exp(log p(w | y_&lt;t, image) / T)   over the k most likely w (all V when k = 0)
 * </pre>
 *
 * <p>T = 1 with k = 0 samples the model itself; T below 1 leans to likely words; k = 1 is greedy
 * decoding. Draws come from the {@link RandomGenerator} passed in (a {@link java.util.Random} or
 * {@link java.util.SplittableRandom}), one uniform number per row and step, in row order, so a seeded
 * generator gives the same captions every run. The draw itself is an inverse-CDF lookup done on the
 * tensors: the row's cumulative q is compared with u, nothing of size V is read back.
 *
 * <p>A caption's {@link Hypothesis#logProb()} is under the model (log p, not log q).
 */
public final class SampledSearch {
    private final int maxLength;
    private final int minLength;
    private final float temperature;
    private final int topK;
    private final boolean keepAlphas;

    SampledSearch(Builder builder) {
        if (builder.maxLength < 0) {
            throw new IllegalStateException("SampledSearch needs setMaxLength");
        }
        Searches.checkMinLength(builder.minLength, builder.maxLength);
        this.maxLength = builder.maxLength;
        this.minLength = builder.minLength;
        this.temperature = builder.temperature;
        this.topK = builder.topK;
        this.keepAlphas = builder.keepAlphas;
    }

    /** A builder: the maximum length is required. */
    public static Builder builder() {
        return new Builder();
    }

    public int maxLength() {
        return maxLength;
    }

    public float temperature() {
        return temperature;
    }

    /** k of top-k sampling, 0 for the whole vocabulary. */
    public int topK() {
        return topK;
    }

    /** Samples one caption per image: {@code grid} (B, L, D) (null for a plain decoder) and {@code pooled} (B, D). */
    public Captions sample(CaptionDecoder decoder, NDArray grid, NDArray pooled, RandomGenerator random) {
        return sample(SearchModel.of(decoder), grid, pooled, random);
    }

    /** Samples one caption per image with any search model. */
    public <S> Captions sample(SearchModel<S> model, NDArray grid, NDArray pooled, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new Captions(PathSearch.run(model, grid, pooled, logProbs -> draw(logProbs, random), maxLength, minLength, keepAlphas));
    }

    private PathSearch.Choice draw(NDArray logProbs, RandomGenerator random) {
        NDManager scope = logProbs.getManager();
        long rows = logProbs.getShape().get(0);
        long v = logProbs.getShape().get(1);
        NDArray scaled = temperature == 1f ? logProbs : logProbs.div(temperature); // (R, V)
        NDArray candidates; // (R, k): the words that may be drawn, or null for all V
        NDArray weights; // (R, k) or (R, V)
        if (topK > 0 && topK < v) {
            NDList top = scaled.topK(topK, 1, true, true);
            weights = top.get(0);
            candidates = top.get(1);
        } else {
            weights = scaled;
            candidates = null;
        }
        NDArray cdf = weights.softmax(1).cumSum(1); // (R, k)
        float[] u = new float[Math.toIntExact(rows)];
        for (int r = 0; r < u.length; r++) {
            u[r] = (float) (1.0 - random.nextDouble()); // in (0, 1], so a word of probability 0 is never drawn
        }
        NDArray total = cdf.get(":, -1:"); // (R, 1), 1 up to rounding
        NDArray threshold = scope.create(u, new Shape(rows, 1)).mul(total); // (R, 1)
        // The first column whose cumulative probability reaches u: the number of columns below u. The
        // cumulative sums never decrease and the last one equals total >= u, so this is at most k - 1.
        NDArray column = cdf.lt(threshold).toType(DataType.INT64, false).sum(new int[] {1}, true); // (R, 1)
        NDArray words = candidates == null ? column : candidates.gather(column, 1); // (R, 1)
        NDArray chosen = logProbs.gather(words, 1); // (R, 1)
        return new PathSearch.Choice(words.toLongArray(), chosen.toFloatArray());
    }

    @Override
    public String toString() {
        return "SampledSearch(maxLength=" + maxLength + ", T=" + temperature + ", topK=" + topK + ")";
    }

    /** Builds a {@link SampledSearch}. */
    public static final class Builder extends SearchBuilder<Builder> {
        float temperature = 1f;
        int topK;

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** T, greater than 0 (default 1): the log-probabilities are divided by T before the softmax. */
        public Builder optTemperature(float temperature) {
            if (!(temperature > 0) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("the temperature must be a finite number greater than 0, got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** k: draw among the k most likely words only; 0 (default) for the whole vocabulary. */
        public Builder optTopK(int topK) {
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be at least 0 (0 for the whole vocabulary), got " + topK);
            }
            this.topK = topK;
            return this;
        }

        public SampledSearch build() {
            return new SampledSearch(this);
        }
    }
}
