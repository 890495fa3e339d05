package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.captioner.decoder.CaptionDecoder;
import java.util.List;

/**
 * What a search drives: a model of the next word given the image and the words so far, run on a batch
 * of rows at once. One decoder ({@link #of(CaptionDecoder)}) and an {@link Ensemble} of decoders are
 * interchangeable behind it, so greedy, beam and sampled search are written once.
 *
 * <p>A search starts n images ({@link #start}: a state of n rows), may repeat or drop rows ({@link
 * #select}), and then steps: every step reads one token per row and gives the log-probabilities of the
 * next word, {@code log p(y_t | y_<t, image)} (R, V), the attention weights of the step (R, L) where
 * the model attends, and the next state. A beam search reorders the rows of each image by the beams it
 * keeps ({@link #reorder}).
 *
 * <p>The state is the model's own (type {@code S}); the search only passes it back, selects its rows,
 * and scopes its arrays ({@link #arrays}). Implementations record no gradients and keep no state of
 * their own between calls.
 *
 * @param <S> the state the model carries from step to step
 */
public interface SearchModel<S> {

    /** A search model for one decoder. */
    static SearchModel<CaptionDecoder.State> of(CaptionDecoder decoder) {
        return new DecoderModel(decoder);
    }

    /** V, the number of words a step scores, the special tokens included. */
    int vocabularySize();

    /**
     * The state of n images, one row each.
     *
     * @param ps the parameter store
     * @param grid the feature grid (n, L, D), or null where the model does not attend
     * @param pooled the pooled features (n, D)
     * @return the state of the n rows
     */
    S start(ParameterStore ps, NDArray grid, NDArray pooled);

    /**
     * One step on every row.
     *
     * @param ps the parameter store
     * @param state the state of R rows
     * @param tokens the previous word of each row, (R) int64
     * @param banEnd whether {@code <end>} is impossible at this step: its logit is -inf before the softmax
     * @return log-probabilities (R, V), alpha (R, L) or null, and the next state
     */
    Next<S> step(ParameterStore ps, S state, NDArray tokens, boolean banEnd);

    /**
     * Rows of a state, every part of them: row r of the result is row {@code rows[r]} of {@code state}.
     * Used to repeat each image's row K times for a beam and to drop the rows of finished images.
     *
     * @param rows (R') int64 row numbers
     */
    S select(S state, NDArray rows);

    /**
     * As {@link #select}, where every row is taken from a row of the same image: what is the same for
     * all rows of an image (the grid and its projection) is kept as it is and only the recurrent state
     * moves. Used to reorder the beams of each image.
     *
     * @param rows (R) int64 row numbers, each within the rows of its own image
     */
    S reorder(S state, NDArray rows);

    /** Every NDArray the state holds, so that a search can keep them across steps and free the rest. */
    List<NDArray> arrays(S state);

    /**
     * One step's output.
     *
     * @param logProbs log p(next word), (R, V)
     * @param alpha the attention weights over the L locations, (R, L), or null where the model does not attend
     * @param state the next state
     */
    record Next<S>(NDArray logProbs, NDArray alpha, S state) {}
}
