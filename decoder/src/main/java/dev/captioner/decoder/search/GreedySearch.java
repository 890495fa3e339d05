package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.captioner.decoder.CaptionDecoder;
import java.util.List;

/**
 * Greedy decoding, batched over images: at every step each unfinished caption takes its most likely
 * next word, {@code y_t = argmax_w log p(w | y_<t, image)}, until {@code <end>} or the maximum length.
 * The attention weights of every step are kept for heatmaps and grounding. Works on any {@link
 * SearchModel}: one decoder or an {@link Ensemble}. Beam search with K = 1 finds the same captions.
 */
public final class GreedySearch {
    private final int maxLength;
    private final int minLength;
    private final boolean keepAlphas;

    /** Greedy decoding of at most {@code maxLength} tokens per caption, {@code <end>} included. */
    public GreedySearch(int maxLength) {
        this(builder().setMaxLength(maxLength));
    }

    GreedySearch(Builder builder) {
        if (builder.maxLength < 0) {
            throw new IllegalStateException("GreedySearch needs setMaxLength");
        }
        Searches.checkMinLength(builder.minLength, builder.maxLength);
        this.maxLength = builder.maxLength;
        this.minLength = builder.minLength;
        this.keepAlphas = builder.keepAlphas;
    }

    /** A builder: the maximum length is required. */
    public static Builder builder() {
        return new Builder();
    }

    public int maxLength() {
        return maxLength;
    }

    public int minLength() {
        return minLength;
    }

    /** Decodes a batch: {@code grid} (B, L, D) (null for a plain decoder) and {@code pooled} (B, D). */
    public Captions decode(CaptionDecoder decoder, NDArray grid, NDArray pooled) {
        return decode(SearchModel.of(decoder), grid, pooled);
    }

    /** Decodes a batch with any search model: {@code grid} (B, L, D) (null where no model attends) and {@code pooled} (B, D). */
    public <S> Captions decode(SearchModel<S> model, NDArray grid, NDArray pooled) {
        return new Captions(PathSearch.run(model, grid, pooled, GreedySearch::argMax, maxLength, minLength, keepAlphas));
    }

    private static PathSearch.Choice argMax(NDArray logProbs) {
        NDList top = logProbs.topK(1, 1, true, false); // (R, 1) values and ids
        return new PathSearch.Choice(top.get(1).toLongArray(), top.get(0).toFloatArray());
    }

    @Override
    public String toString() {
        return "GreedySearch(maxLength=" + maxLength + (minLength > 0 ? ", minLength=" + minLength : "") + ")";
    }

    /** Builds a {@link GreedySearch}. */
    public static final class Builder extends SearchBuilder<Builder> {
        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        public GreedySearch build() {
            return new GreedySearch(this);
        }
    }
}
