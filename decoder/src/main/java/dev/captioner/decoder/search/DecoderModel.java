package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@link CaptionDecoder} as a {@link SearchModel}, in inference mode (no dropout):
 * {@code log p(y_t | .) = log_softmax(logits_t)}. Made by {@link SearchModel#of(CaptionDecoder)}.
 */
final class DecoderModel implements SearchModel<CaptionDecoder.State> {
    private final CaptionDecoder decoder;
    private final NDIndex endColumn = new NDIndex(":, {}", Vocabulary.END_ID);

    DecoderModel(CaptionDecoder decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    CaptionDecoder decoder() {
        return decoder;
    }

    @Override
    public int vocabularySize() {
        return decoder.config().vocabularySize();
    }

    @Override
    public CaptionDecoder.State start(ParameterStore ps, NDArray grid, NDArray pooled) {
        return decoder.start(ps, decoder.config().attention() ? grid : null, pooled, false);
    }

    @Override
    public Next<CaptionDecoder.State> step(ParameterStore ps, CaptionDecoder.State state, NDArray tokens, boolean banEnd) {
        CaptionDecoder.Step step = decoder.step(ps, state, tokens, false);
        NDArray logits = step.logits(); // (R, V), a fresh array: safe to write into
        if (banEnd) {
            logits.set(endColumn, Float.NEGATIVE_INFINITY);
        }
        return new Next<>(logits.logSoftmax(1), step.alpha(), step.state()); // (R, V)
    }

    @Override
    public CaptionDecoder.State select(CaptionDecoder.State state, NDArray rows) {
        NDIndex index = new NDIndex("{}", rows);
        return new CaptionDecoder.State(take(state.cell(), index), state.grid() == null ? null : state.grid().get(index), // (R', L, D)
                state.projected() == null ? null : state.projected().get(index)); // (R', L, A)
    }

    @Override
    public CaptionDecoder.State reorder(CaptionDecoder.State state, NDArray rows) {
        return new CaptionDecoder.State(take(state.cell(), new NDIndex("{}", rows)), state.grid(), state.projected());
    }

    @Override
    public List<NDArray> arrays(CaptionDecoder.State state) {
        List<NDArray> all = new ArrayList<>(state.cell());
        if (state.grid() != null) {
            all.add(state.grid());
        }
        if (state.projected() != null) {
            all.add(state.projected());
        }
        return all;
    }

    private static NDList take(NDList cell, NDIndex index) {
        NDList rows = new NDList(cell.size());
        for (NDArray part : cell) {
            rows.add(part.get(index)); // (R', H)
        }
        return rows;
    }

    @Override
    public String toString() {
        return "DecoderModel(" + decoder.config().kind() + ", V=" + vocabularySize() + ")";
    }
}
