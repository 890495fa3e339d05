package dev.captioner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.captioner.pipeline.report.TrainingHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code captioner train} logs, the report's {@link TrainingHistory} reads back. */
class TrainingLogHistoryTest {
    @Test
    void theReportReadsWhatTrainingWrites(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(TrainingLog.FILE);
        try (TrainingLog log = TrainingLog.create(file)) {
            log.step(1, 1, 7.25, 1, 0.0004);
            log.step(2, 1, 6.5, 0.95, 0.0004);
            log.validation(2, 1, 0.0004, Map.of("Bleu_4", 0.125, "CIDEr", 0.4375));
        }
        TrainingHistory history = TrainingHistory.read(dir);
        assertEquals(List.of(new TrainingHistory.Loss(1, 1, 7.25), new TrainingHistory.Loss(2, 1, 6.5)), history.losses());
        assertEquals(List.of(new TrainingHistory.Validation(2, 1, Map.of("Bleu_4", 0.125, "CIDEr", 0.4375))),
                history.validations());
        assertEquals(TrainingLog.FILE, TrainingHistory.FILE);
    }
}
