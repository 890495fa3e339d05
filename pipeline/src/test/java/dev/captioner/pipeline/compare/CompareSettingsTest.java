package dev.captioner.pipeline.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareSettingsTest {
    static CompareSettings settings(long steps, int validations) {
        return new CompareSettings("/data/dataset_synth.json", "resnet18@128 pretrained sha256:0", new SplitSizes(null, 250, null), 1,
                20, 256, 256, 256, 0.3f, 1f, 64, 1e-3f, 0.8f, 2, 5f, "inverse-sigmoid:k=98.12", SamplingMode.SAMPLE, steps, validations,
                "best", 3, 20, null, null, null, false, 0f, 0, null, 0f, 0, 0f);
    }

    @Test
    void validationsAreEvenlySpacedAndTheLastFollowsTheFinalStep() {
        assertEquals(List.of(113L, 226L, 339L, 452L, 565L, 678L, 791L, 900L), settings(900, 8).validationSteps());
        assertEquals(List.of(3L, 6L), settings(6, 2).validationSteps());
        assertEquals(List.of(5L), settings(5, 1).validationSteps());
        assertEquals(List.of(1L, 2L), settings(2, 8).validationSteps(), "never more validations than steps");
    }

    @Test
    void everyModelTrainsWithTheSharedOptionsAndItsOwnCellAttentionAndFeeding() {
        CompareSettings s = settings(900, 8);
        TrainingConfig ss = s.training(CompareModel.parse("att-lstm-ss").get(0), 2, 40, 512, 625, 900);
        assertEquals(CellType.LSTM, ss.decoder().cell());
        assertTrue(ss.decoder().attention());
        assertEquals("inverse-sigmoid:k=98.12", ss.scheduledSampling());
        assertEquals(2, ss.epochs(), "enough epochs of 625 steps for 900");
        assertEquals(2, ss.seed());
        assertEquals(0, ss.patience(), "no early stopping: every run takes every step");
        TrainingConfig plain = s.training(CompareModel.parse("plain-gru").get(0), 0, 40, 512, 625, 900);
        assertFalse(plain.decoder().attention());
        assertEquals(CellType.GRU, plain.decoder().cell());
        assertEquals("teacher-forcing", plain.scheduledSampling());
        assertEquals("always-sample", s.training(CompareModel.parse("att-lstm-always").get(0), 0, 40, 512, 625, 900).scheduledSampling());
        assertEquals(1, s.training(CompareModel.GRID.get(0), 0, 40, 512, 625, 625).epochs());
        assertEquals(1, s.validationBeam(), "settings saved before the validation beam existed validate greedily");
        assertEquals(1, ss.validationBeam());
    }

    @Test
    void theValidationBeamReachesEveryRunAndIsSaved(@TempDir Path dir) throws IOException {
        CompareSettings s = CompareSettings.builder().setData(dir.resolve("dataset_synth.json"), "e").optSteps(900).optValidationBeam(3)
                .build();
        assertEquals(3, s.training(CompareModel.parse("att-lstm").get(0), 0, 40, 512, 625, 900).validationBeam());
        assertEquals(3, s.training(CompareModel.parse("plain-lstm").get(0), 0, 40, 512, 625, 900).validationBeam());
        s.write(dir);
        assertEquals(3, CompareSettings.read(dir).validationBeam());
        assertEquals(3, CompareSettings.builder().setData(dir, "e").build().validationBeam(), "by default the test's beam");
        assertEquals(0f, s.training(CompareModel.parse("att-lstm").get(0), 0, 40, 512, 625, 900).weightAverage(), "no average by default");
        assertEquals(5, CompareSettings.builder().setData(dir, "e").optSearch(5, 20).build().validationBeam());
        assertEquals(1, CompareSettings.builder().setData(dir, "e").optValidationBeam(1).build().validationBeam(), "greedy when asked");
    }

    @Test
    void theModelsOfAListInItsOrder() {
        assertEquals(6, CompareModel.parse("all").size());
        assertEquals(List.of("att-gru", "plain-lstm"), CompareModel.parse(" att-gru, PLAIN-LSTM").stream().map(CompareModel::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompareModel.parse("att-lstm,lstm"));
        assertEquals("unknown model 'lstm'; the models are plain-lstm, plain-gru, att-lstm, att-gru, att-lstm-ss, att-lstm-always (or all)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompareModel.parse("att-lstm,att-lstm"));
    }

    @Test
    void savedAndReadBackAsTheSameValue(@TempDir Path dir) throws IOException {
        CompareSettings s = settings(900, 8);
        s.write(dir);
        assertEquals(s, CompareSettings.read(dir));
        assertEquals(null, CompareSettings.read(dir.resolve("none")));
    }

    @Test
    void theWeightAverageReachesEveryRunAndIsSaved(@TempDir Path dir) throws IOException {
        CompareSettings s = CompareSettings.builder().setData(dir.resolve("dataset_synth.json"), "e").optSteps(900).optWeightAverage(0.999f)
                .build();
        assertEquals(0.999f, s.training(CompareModel.parse("att-lstm").get(0), 0, 40, 512, 625, 900).weightAverage());
        assertEquals(0.999f, s.training(CompareModel.parse("plain-lstm").get(0), 0, 40, 512, 625, 900).weightAverage());
        s.write(dir);
        assertEquals(0.999f, CompareSettings.read(dir).weightAverage());
        assertEquals(0f, settings(900, 8).weightAverage(), "settings saved before it existed have none");
    }
}
