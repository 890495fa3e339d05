package dev.captioner.decoder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings a user can get wrong give one clear line each. */
class SearchArgumentsTest {

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void beamSettings() {
        assertMessage("the beam size must be at least 1, got 0", () -> BeamSearch.builder().setBeamSize(0));
        assertMessage("n-best must be at least 1, got 0", () -> BeamSearch.builder().optNBest(0));
        assertMessage("n-best must be at most the beam size 3, got 4",
                () -> BeamSearch.builder().setBeamSize(3).setMaxLength(5).optNBest(4).build());
        assertMessage("the maximum length must be at least 1, got -2", () -> BeamSearch.builder().setMaxLength(-2));
        assertMessage("the minimum length must be between 0 and the maximum length 5, got 6",
                () -> BeamSearch.builder().setBeamSize(3).setMaxLength(5).optMinLength(6).build());
        assertMessage("the minimum length must be between 0 and the maximum length 5, got -1",
                () -> BeamSearch.builder().setBeamSize(3).setMaxLength(5).optMinLength(-1).build());
        assertMessage("the length penalty alpha must be a finite number at least 0, got -0.5", () -> LengthNormalization.wu(-0.5));
        assertMessage("the length penalty alpha must be a finite number at least 0, got NaN", () -> LengthNormalization.wu(Double.NaN));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> BeamSearch.builder().setBeamSize(2).build());
        assertEquals("BeamSearch needs setBeamSize and setMaxLength", missing.getMessage());
    }

    @Test
    void greedyAndSamplingSettings() {
        assertMessage("the maximum length must be at least 1, got 0", () -> new GreedySearch(0));
        assertMessage("the minimum length must be between 0 and the maximum length 3, got 4",
                () -> GreedySearch.builder().setMaxLength(3).optMinLength(4).build());
        assertMessage("the temperature must be a finite number greater than 0, got 0.0", () -> SampledSearch.builder().optTemperature(0));
        assertMessage("the temperature must be a finite number greater than 0, got NaN",
                () -> SampledSearch.builder().optTemperature(Float.NaN));
        assertMessage("top-k must be at least 0 (0 for the whole vocabulary), got -1", () -> SampledSearch.builder().optTopK(-1));
    }

    @Test
    void inputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyDecoders.decoder(manager, CellType.LSTM, true, 1, 1f);
            BeamSearch beam = BeamSearch.builder().setBeamSize(2).setMaxLength(3).build();
            assertMessage("search: no images to decode (pooled is (0, 6))",
                    () -> beam.search(decoder, manager.zeros(new Shape(0, 3, 6)), manager.zeros(new Shape(0, 6))));
            assertMessage("search: the pooled features must be (n, D), got (6)", () -> beam.search(decoder, null, manager.zeros(new Shape(6))));
            // The decoder's own check, passed through unchanged.
            assertMessage("CaptionDecoder: the attention decoder needs the grid (B, L, D)",
                    () -> beam.search(decoder, null, manager.zeros(new Shape(2, 6))));
        }
    }
}
