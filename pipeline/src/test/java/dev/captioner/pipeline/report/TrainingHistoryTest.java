package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingHistoryTest {
    static final String HEADER = "step,epoch,kind,loss,teacher_forcing,learning_rate,Bleu_1,Bleu_2,Bleu_3,Bleu_4,ROUGE_L,CIDEr";

    @TempDir
    Path dir;

    /** A log of {@code epochs} epochs of {@code stepsPerEpoch} steps, loss falling from {@code start}, CIDEr rising by {@code gain}. */
    static Path log(Path dir, String name, int epochs, int stepsPerEpoch, double start, double gain) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        long step = 0;
        for (int e = 1; e <= epochs; e++) {
            for (int s = 0; s < stepsPerEpoch; s++) {
                step++;
                csv.append(step).append(',').append(e).append(",train,").append(start / Math.sqrt(step)).append(",1,0.001,,,,,,\n");
            }
            csv.append(step).append(',').append(e).append(",val,,,0.001,0.5,0.3,0.2,0.1,0.4,").append(gain * e).append('\n');
        }
        Path file = dir.resolve(name).resolve(TrainingHistory.FILE);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, csv);
    }

    @Test
    void readsStepsAndValidations() throws IOException {
        Path file = Files.writeString(dir.resolve("training-log.csv"), HEADER + "\n"
                + "1,1,train,7.5,1,0.0004,,,,,,\n"
                + "2,1,train,NaN,0.9,0.0004,,,,,,\n"
                + "2,1,val,,,0.0004,0.52,0.33,0.21,0.13,0.39,0.41\n");
        TrainingHistory history = TrainingHistory.read(dir); // a folder means the log in it
        assertEquals(List.of(new TrainingHistory.Loss(1, 1, 7.5), new TrainingHistory.Loss(2, 1, Double.NaN)), history.losses());
        assertEquals(1, history.validations().size());
        TrainingHistory.Validation v = history.validations().get(0);
        assertEquals(2, v.step());
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"), List.copyOf(v.scores().keySet()));
        assertEquals(0.41, v.scores().get("CIDEr"));
        assertEquals(history, TrainingHistory.read(file));
    }

    @Test
    void aLastRowCutShortIsIgnoredAnyOtherBadRowIsOneLine() throws IOException {
        Path cut = Files.writeString(dir.resolve("cut.csv"), HEADER + "\n1,1,train,7.5,1,0.0004,,,,,,\n2,1,tr");
        assertEquals(1, TrainingHistory.read(cut).losses().size());

        Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + "\n1,1,train,7.5,1,0.0004,,,,,,\n2,1,train,x,1,0.0004,,,,,,\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TrainingHistory.read(bad));
        assertEquals(bad + ":3:11: loss \"x\" is not a number", e.getMessage());

        Path shortRow = Files.writeString(dir.resolve("short.csv"), HEADER + "\n1,1,train\n2,1,train,7,1,0.1,,,,,,\n");
        e = assertThrows(DataFormatException.class, () -> TrainingHistory.read(shortRow));
        assertEquals(shortRow + ":2:1: 3 cells, but the header has 12", e.getMessage());

        Path other = Files.writeString(dir.resolve("other.csv"), "image_id,caption\n1,a cat\n");
        e = assertThrows(DataFormatException.class, () -> TrainingHistory.read(other));
        assertTrue(e.getMessage().startsWith(other + ":1:1: no column \"step\""), e.getMessage());
    }

    @Test
    void meansOverSeedsStepByStepAndEpochByEpoch() throws IOException {
        TrainingHistory a = TrainingHistory.read(log(dir, "a", 2, 2, 4, 0.25));
        TrainingHistory b = TrainingHistory.read(log(dir, "b", 1, 2, 8, 0.5)); // stopped after one epoch
        TreeMap<Long, Double> loss = TrainingHistory.meanLoss(List.of(a, b));
        assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(loss.keySet()));
        assertEquals(6.0, loss.get(1L), 1e-12);
        assertEquals(4 / Math.sqrt(3), loss.get(3L), 1e-12, "only a logged step 3");
        assertEquals(Map.of(1, 0.375, 2, 0.5), TrainingHistory.meanValidation(List.of(a, b), "CIDEr"));
        assertEquals(Map.of(), TrainingHistory.meanValidation(List.of(a, b), "METEOR"));
        assertEquals(Map.of(2L, 0.375, 4L, 0.5), TrainingHistory.meanValidationByStep(List.of(a, b), "CIDEr"),
                "validated after steps 2 and 4");
    }
}
