package dev.captioner.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.train.RegularizerScale;
import dev.captioner.decoder.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The configurations built by name are the records they stand for, with the command line's defaults and the same checks. */
class DecoderConfigBuilderTest {
    @Test
    void namedSettingsBuildTheRecord() {
        DecoderConfig built = DecoderConfig.builder().setCell(CellType.GRU).setVocabularySize(60).setFeatureSize(512)
                .optEmbeddingSize(64).optHiddenSize(128).optAttentionSize(32).optDropout(0.2f).optVectorGate(false)
                .optInitialState(InitialState.LEARNED).optPlacement(AttentionPlacement.AFTER_CELL).build();
        assertEquals(new DecoderConfig(CellType.GRU, true, 60, 64, 128, 32, 512, 1, 0.2f, false, false, InitialState.LEARNED,
                AttentionPlacement.AFTER_CELL), built);
        assertEquals(built, built.toBuilder().build());
        DecoderConfig plain = built.toBuilder().optAttention(false).build();
        assertEquals(InitialState.POOLED, plain.initialState(), "a plain decoder starts from the pooled vector");
        assertEquals(AttentionPlacement.BEFORE_CELL, plain.placement());
        assertThrows(IllegalStateException.class, () -> DecoderConfig.builder().setCell(CellType.LSTM).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> built.toBuilder().optDropout(1.5f).build());
        assertEquals("dropout must be in [0, 1), got 1.5", e.getMessage());

        TrainingConfig training = TrainingConfig.builder().setDecoder(built).optBatchSize(16).optEpochs(2).optLearningRate(3e-3f)
                .optDecay(1f, 1).optDoublyStochastic(0.5f, RegularizerScale.WORD)
                .optScheduledSampling("linear:c=0.05", SamplingMode.ARGMAX).optSeed(7).build();
        assertEquals(new TrainingConfig(built, 16, 2, 3e-3f, 1f, 1, 5f, 0.5f, "linear:c=0.05", SamplingMode.ARGMAX, 0, 1000, 16, 7, false,
                RegularizerScale.WORD, 0f, 0, null), training);
        assertTrue(assertThrows(IllegalStateException.class, () -> TrainingConfig.builder().build()).getMessage().contains("setDecoder"));
    }
}
