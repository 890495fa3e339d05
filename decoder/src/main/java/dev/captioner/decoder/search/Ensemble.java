package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Several models run side by side as one {@link SearchModel}: each member keeps its own state, all are
 * fed the same chosen words, and the next-word distribution is the mean of theirs, in probability space:
 *
 * <pre>
 *   p(y_t | .) = (1 / M) sum_m p_m(y_t | .)
 *   log p      = logsumexp_m(log p_m) - log M          (stable: the max over m is taken out first)
 * </pre>
 *
 * <p>Beam search or sampling on this averaged distribution is the usual ensemble decoding of sequence
 * models (e.g. Sutskever et al. 2014; Vinyals et al. 2015 ensemble their captioners this way). The
 * members may differ in architecture (plain or attention, LSTM or GRU, sizes) but must share one
 * vocabulary: the same V and, where the vocabularies are given, the same word at every id.
 *
 * <p>Where {@code <end>} is banned, every member's distribution is renormalised without it before the
 * mean. The ensemble's alpha is the mean of the alphas of the members that attend (they all attend over
 * the same grid), or null where none does.
 */
public final class Ensemble implements SearchModel<List<Object>> {
    private final List<SearchModel<Object>> members;
    private final int vocabularySize;

    private Ensemble(List<SearchModel<Object>> members) {
        this.members = members;
        this.vocabularySize = members.get(0).vocabularySize();
    }

    /** A builder: add at least one member. */
    public static Builder builder() {
        return new Builder();
    }

    /** An ensemble of decoders that share one vocabulary (checked by size). */
    public static Ensemble of(CaptionDecoder... decoders) {
        Builder builder = builder();
        for (CaptionDecoder decoder : decoders) {
            builder.addMember(decoder);
        }
        return builder.build();
    }

    /** The number of members, M. */
    public int size() {
        return members.size();
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public List<Object> start(ParameterStore ps, NDArray grid, NDArray pooled) {
        List<Object> states = new ArrayList<>(members.size());
        for (SearchModel<Object> member : members) {
            states.add(member.start(ps, grid, pooled));
        }
        return states;
    }

    @Override
    public Next<List<Object>> step(ParameterStore ps, List<Object> state, NDArray tokens, boolean banEnd) {
        List<Object> next = new ArrayList<>(members.size());
        NDList logProbs = new NDList(members.size());
        NDList alphas = new NDList();
        for (int m = 0; m < members.size(); m++) {
            Next<Object> out = members.get(m).step(ps, state.get(m), tokens, banEnd);
            next.add(out.state());
            logProbs.add(out.logProbs()); // (R, V)
            if (out.alpha() != null) {
                alphas.add(out.alpha()); // (R, L)
            }
        }
        NDArray alpha = alphas.isEmpty() ? null : alphas.size() == 1 ? alphas.head() : NDArrays.stack(alphas).mean(new int[] {0}); // (R, L)
        return new Next<>(meanInProbability(logProbs), alpha, next);
    }

    /** log((1/M) sum_m exp(x_m)) for M arrays (R, V), with words that are -inf in every member left -inf. */
    static NDArray meanInProbability(NDList logProbs) {
        if (logProbs.size() == 1) {
            return logProbs.head();
        }
        NDArray all = NDArrays.stack(logProbs); // (M, R, V)
        // The max over the members; finite where any member is, and held finite where none is (a banned
        // word) so that x - max is -inf there, not -inf - -inf = NaN.
        NDArray max = all.max(new int[] {0}).maximum(-Float.MAX_VALUE); // (R, V)
        NDArray sum = all.sub(max).exp().sum(new int[] {0}); // (R, V), in [1, M] where any member is finite
        return sum.log().add(max).sub((float) Math.log(logProbs.size())); // (R, V)
    }

    @Override
    public List<Object> select(List<Object> state, NDArray rows) {
        List<Object> out = new ArrayList<>(members.size());
        for (int m = 0; m < members.size(); m++) {
            out.add(members.get(m).select(state.get(m), rows));
        }
        return out;
    }

    @Override
    public List<Object> reorder(List<Object> state, NDArray rows) {
        List<Object> out = new ArrayList<>(members.size());
        for (int m = 0; m < members.size(); m++) {
            out.add(members.get(m).reorder(state.get(m), rows));
        }
        return out;
    }

    @Override
    public List<NDArray> arrays(List<Object> state) {
        List<NDArray> all = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            all.addAll(members.get(m).arrays(state.get(m)));
        }
        return all;
    }

    @Override
    public String toString() {
        return "Ensemble" + members;
    }

    /** Builds an {@link Ensemble}; checks that the members share one vocabulary. */
    public static final class Builder {
        private final List<SearchModel<?>> members = new ArrayList<>();
        private final List<Vocabulary> vocabularies = new ArrayList<>();

        Builder() {}

        /** Adds a decoder. */
        public Builder addMember(CaptionDecoder decoder) {
            return addMember(SearchModel.of(decoder), null);
        }

        /** Adds a decoder with the vocabulary it was trained on, checked word by word against the others'. */
        public Builder addMember(CaptionDecoder decoder, Vocabulary vocabulary) {
            return addMember(SearchModel.of(decoder), vocabulary);
        }

        /** Adds any search model (an ensemble too), with its vocabulary or null. */
        public Builder addMember(SearchModel<?> model, Vocabulary vocabulary) {
            members.add(Objects.requireNonNull(model, "model"));
            vocabularies.add(vocabulary);
            return this;
        }

        /**
         * The ensemble.
         *
         * @throws IllegalArgumentException without members, or when they do not share one vocabulary
         */
        @SuppressWarnings("unchecked")
        public Ensemble build() {
            if (members.isEmpty()) {
                throw new IllegalArgumentException("an ensemble needs at least one member");
            }
            int v = members.get(0).vocabularySize();
            for (int m = 1; m < members.size(); m++) {
                if (members.get(m).vocabularySize() != v) {
                    throw new IllegalArgumentException("ensemble members must share one vocabulary: member 0 has V=" + v
                            + ", member " + m + " has V=" + members.get(m).vocabularySize());
                }
            }
            checkWords();
            List<SearchModel<Object>> typed = new ArrayList<>(members.size());
            for (SearchModel<?> member : members) {
                // Each member only ever receives the states it made itself, so the cast is safe.
                typed.add((SearchModel<Object>) member);
            }
            return new Ensemble(Collections.unmodifiableList(typed));
        }

        private void checkWords() {
            int first = -1;
            for (int m = 0; m < vocabularies.size(); m++) {
                Vocabulary vocabulary = vocabularies.get(m);
                if (vocabulary == null) {
                    continue;
                }
                if (vocabulary.size() != members.get(m).vocabularySize()) {
                    throw new IllegalArgumentException("ensemble member " + m + " has V=" + members.get(m).vocabularySize()
                            + " but its vocabulary holds " + vocabulary.size() + " words");
                }
                if (first < 0) {
                    first = m;
                    continue;
                }
                List<String> a = vocabularies.get(first).words();
                List<String> b = vocabulary.words();
                for (int id = 0; id < a.size(); id++) {
                    if (!a.get(id).equals(b.get(id))) {
                        throw new IllegalArgumentException("ensemble members must share one vocabulary: id " + id + " is '"
                                + a.get(id) + "' for member " + first + " but '" + b.get(id) + "' for member " + m);
                    }
                }
            }
        }
    }
}
