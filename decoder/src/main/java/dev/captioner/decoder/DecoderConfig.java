package dev.captioner.decoder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.captioner.decoder.cell.CellType;
import java.util.Locale;

/**
 * The architecture of a caption decoder: which cell, whether it attends, and its sizes. Immutable;
 * saved with every checkpoint and model package and checked on load, so weights are never read into a
 * decoder of another shape.
 *
 * @param cell          {@link CellType#LSTM} or {@link CellType#GRU}
 * @param attention     soft spatial attention over the grid ("Show, Attend and Tell") or the plain
 *                      decoder whose state the pooled vector initialises ("Show and Tell")
 * @param vocabularySize V, the specials included
 * @param embeddingSize E
 * @param hiddenSize    H
 * @param attentionSize A (attention decoders only)
 * @param featureSize   D, the encoder's channels
 * @param layers        stacked recurrent layers
 * @param dropout       dropout probability on h_t before the output layer (and between layers)
 * @param vectorGate    the context gate β_t per feature (the PyTorch ports) instead of one scalar per
 *                      sample (the paper)
 * @param deepOutput    the "deep output" of Xu et al. 2015 eq. 7: the logits read
 *                      {@code L_o dropout(E y_{t-1} + L_h h_t + L_z z_t)} (size E) instead of {@code L_o dropout(h_t)}
 * @param initialState  where h_0 comes from ({@link InitialState}); always {@link InitialState#POOLED} for the
 *                      plain decoder. Configurations saved before it existed read back as POOLED.
 * @param placement     where attention sits in a step ({@link AttentionPlacement}); saved before it existed:
 *                      BEFORE_CELL. The plain decoder has none: BEFORE_CELL.
 */
// Older configurations also hold "doublyStochastic", a copy of TrainingConfig's that was never read: skipped on reading.
@JsonIgnoreProperties({"doublyStochastic"})
public record DecoderConfig(CellType cell, boolean attention, int vocabularySize, int embeddingSize, int hiddenSize,
        int attentionSize, int featureSize, int layers, float dropout, boolean vectorGate, boolean deepOutput,
        InitialState initialState, AttentionPlacement placement) {

    /** The format of the saved configuration; a file of another version is refused. */
    public static final int VERSION = 1;

    /** A decoder that starts from the pooled vector (the form saved before {@link InitialState} existed). */
    public DecoderConfig(CellType cell, boolean attention, int vocabularySize, int embeddingSize, int hiddenSize,
            int attentionSize, int featureSize, int layers, float dropout, boolean vectorGate, boolean deepOutput) {
        this(cell, attention, vocabularySize, embeddingSize, hiddenSize, attentionSize, featureSize, layers, dropout,
                vectorGate, deepOutput, InitialState.POOLED, AttentionPlacement.BEFORE_CELL);
    }

    public DecoderConfig {
        if (initialState == null) {
            initialState = InitialState.POOLED;
        }
        if (placement == null) {
            placement = AttentionPlacement.BEFORE_CELL;
        }
        if (!attention && placement != AttentionPlacement.BEFORE_CELL) {
            throw new IllegalArgumentException("the plain decoder does not attend: no attention placement");
        }
        if (!attention && initialState != InitialState.POOLED) {
            throw new IllegalArgumentException("the plain decoder sees the image only through its initial state, which must be"
                    + " pooled, got " + initialState.word());
        }
        if (vocabularySize < 5) {
            throw new IllegalArgumentException("vocabulary size must hold the 4 special tokens and a word, got " + vocabularySize);
        }
        positive("embedding size", embeddingSize);
        positive("hidden size", hiddenSize);
        positive("feature size", featureSize);
        positive("layers", layers);
        if (attention) {
            positive("attention size", attentionSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * A builder with named settings, so that no call site hides what a boolean or a size means: the
     * vocabulary size and the feature size (known from the data) are required, the rest has the
     * defaults of {@code captioner train}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The same settings in a builder, to change some of them. */
    public Builder toBuilder() {
        return new Builder().setCell(cell).optAttention(attention).setVocabularySize(vocabularySize).optEmbeddingSize(embeddingSize)
                .optHiddenSize(hiddenSize).optAttentionSize(attentionSize).setFeatureSize(featureSize).optLayers(layers).optDropout(dropout)
                .optVectorGate(vectorGate).optDeepOutput(deepOutput).optInitialState(initialState)
                .optPlacement(placement);
    }

    /** Builds a {@link DecoderConfig}; checks happen in {@link #build()}, each a one-line {@link IllegalArgumentException}. */
    public static final class Builder {
        private CellType cell;
        private boolean attention = true;
        private int vocabularySize = -1;
        private int embeddingSize = 512;
        private int hiddenSize = 512;
        private int attentionSize = 512;
        private int featureSize = -1;
        private int layers = 1;
        private float dropout = 0.5f;
        private boolean vectorGate = true;
        private boolean deepOutput;
        private InitialState initialState = InitialState.POOLED;
        private AttentionPlacement placement = AttentionPlacement.BEFORE_CELL;

        Builder() {}

        /** LSTM or GRU (required). */
        public Builder setCell(CellType cell) {
            this.cell = cell;
            return this;
        }

        /** V, the specials included (required). */
        public Builder setVocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /** D, the encoder's channels (required). */
        public Builder setFeatureSize(int featureSize) {
            this.featureSize = featureSize;
            return this;
        }

        /** Soft attention (default) or the plain decoder; a plain decoder starts from the pooled vector with attention nowhere. */
        public Builder optAttention(boolean attention) {
            this.attention = attention;
            return this;
        }

        /** E, default 512. */
        public Builder optEmbeddingSize(int embeddingSize) {
            this.embeddingSize = embeddingSize;
            return this;
        }

        /** H, default 512. */
        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /** A, default 512. */
        public Builder optAttentionSize(int attentionSize) {
            this.attentionSize = attentionSize;
            return this;
        }

        /** Stacked recurrent layers, default 1. */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Dropout on h_t before the output layer, default 0.5. */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** One context gate per feature (default true) rather than one scalar per image (the paper). */
        public Builder optVectorGate(boolean vectorGate) {
            this.vectorGate = vectorGate;
            return this;
        }

        /** The deep output of Xu et al. eq. 7, default false. */
        public Builder optDeepOutput(boolean deepOutput) {
            this.deepOutput = deepOutput;
            return this;
        }

        /** Where h_0 comes from, default pooled; ignored (pooled) for a plain decoder. */
        public Builder optInitialState(InitialState initialState) {
            this.initialState = initialState;
            return this;
        }

        /** Where attention sits in a step, default before the cell; ignored for a plain decoder. */
        public Builder optPlacement(AttentionPlacement placement) {
            this.placement = placement;
            return this;
        }

        public DecoderConfig build() {
            if (cell == null || vocabularySize < 0 || featureSize < 0) {
                throw new IllegalStateException("DecoderConfig.builder(): setCell, setVocabularySize and setFeatureSize are required");
            }
            return new DecoderConfig(cell, attention, vocabularySize, embeddingSize, hiddenSize, attentionSize, featureSize, layers,
                    dropout, vectorGate, deepOutput, attention ? initialState : InitialState.POOLED,
                    attention ? placement : AttentionPlacement.BEFORE_CELL);
        }
    }

    /** The same architecture started from {@code state}. */
    public DecoderConfig withInitialState(InitialState state) {
        return new DecoderConfig(cell, attention, vocabularySize, embeddingSize, hiddenSize, attentionSize, featureSize,
                layers, dropout, vectorGate, deepOutput, state, placement);
    }

    /** The same architecture with attention placed {@code where}. */
    public DecoderConfig withPlacement(AttentionPlacement where) {
        return new DecoderConfig(cell, attention, vocabularySize, embeddingSize, hiddenSize, attentionSize, featureSize,
                layers, dropout, vectorGate, deepOutput, initialState, where);
    }

    /** Attention after the cell ({@link AttentionPlacement#AFTER_CELL}). */
    public boolean attendsAfterCell() {
        return attention && placement == AttentionPlacement.AFTER_CELL;
    }

    /** The size of the cell's input: E, plus D where the context enters the cell. */
    public int cellInputSize() {
        return embeddingSize + (attention && !attendsAfterCell() ? featureSize : 0);
    }

    /** A short name, e.g. {@code att-lstm} or {@code plain-gru}. */
    public String kind() {
        return (attention ? "att-" : "plain-") + cell.name().toLowerCase(Locale.ROOT);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }
}
