package dev.captioner.pipeline.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.captioner.metrics.grounding.GroundingCounts;
import dev.captioner.metrics.grounding.GroundingReport;
import dev.captioner.metrics.grounding.ObjectMention.Hallucination;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultTest {
    @TempDir
    Path dir;

    /** A result saved before the parts of the hallucination rate were tabled gets them from its grounding counts. */
    @Test
    void theHallucinationPartsOfAnOlderResultComeFromItsGroundingCounts() throws IOException {
        GroundingReport grounding = new GroundingReport(10, new GroundingCounts(20, 12, 4, 4), Map.of(), new TreeMap<>(),
                Map.of(Hallucination.SIZE, 2L, Hallucination.COLOUR, 1L, Hallucination.SHAPE, 1L));
        RunResult older = new RunResult("att-lstm", 0, 100, "best", "checkpoints/best", 100L, 1.0, 1, 1, 10,
                Map.of("CIDEr", 1.0, SplitScores.HALLUCINATION, 0.2), new TreeMap<>(), grounding);
        older.write(dir);
        Map<String, Double> test = RunResult.read(dir).test();
        assertEquals(0.1, test.get("Wrong size"), 1e-12);
        assertEquals(0.05, test.get("Wrong colour"), 1e-12);
        assertEquals(0.0, test.get("Wrong colour and size"), 1e-12);
        assertEquals(0.05, test.get("Wrong shape"), 1e-12);

        RunResult plain = new RunResult("plain-lstm", 0, 100, "best", "checkpoints/best", 100L, 1.0, 1, 1, 10, Map.of("CIDEr", 1.0),
                new TreeMap<>(), null);
        assertFalse(plain.test().containsKey("Wrong size"), "nothing to take them from");
    }
}
