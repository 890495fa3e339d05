package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The 11 sets of {@code shared/metrics/edge_vectors.json}, with the scores pycocoevalcap returns for
 * them: corpus and per-image scores at 1e-12 relative, BLEU statistics exactly. The file sits outside
 * the module; the test looks for it upwards from the working directory and is skipped without it.
 */
class EdgeVectorsTest {
    private static final String VECTORS = "shared/metrics/edge_vectors.json";
    // a faithful port agrees to ~1e-14; what is left is summation order and libm rounding
    private static final double RELATIVE = 1e-12;

    @TestFactory
    Stream<DynamicNode> edgeVectors() throws IOException {
        Path file = find();
        if (file == null) {
            // one skipped test with the reason, where an aborted factory would show as no tests at all
            String why = VECTORS + " not found above " + Path.of("").toAbsolutePath()
                    + "; skipping the pycocoevalcap vectors";
            return Stream.of(DynamicTest.dynamicTest("edge vectors", () -> Assumptions.assumeTrue(false, why)));
        }
        JsonNode sets = new ObjectMapper().readTree(file.toFile()).get("sets");
        assertEquals(11, sets.size(), "number of sets in " + file);
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode set : sets) {
            nodes.add(container(set));
        }
        return nodes.stream();
    }

    private static DynamicContainer container(JsonNode set) {
        String name = set.get("name").asText();
        List<String> ids = new ArrayList<>();
        set.get("image_ids").forEach(id -> ids.add(id.asText()));
        Map<String, List<String>> candidates = captions(set.get("candidates"));
        Map<String, List<String>> references = captions(set.get("references"));
        JsonNode expected = set.get("expected");
        // scored once, lazily, so a failure to score shows as failing tests rather than a broken factory
        AtomicReference<CaptionScores<String>> scored = new AtomicReference<>();
        Supplier<CaptionScores<String>> scores = () -> scored.updateAndGet(
                done -> done != null ? done : CaptionEvaluation.evaluate(ids, candidates, references));
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("corpus scores", () -> {
            assertEquals(CaptionEvaluation.METRICS, List.copyOf(scores.get().toMap().keySet()), "metric order");
            for (String metric : CaptionEvaluation.METRICS) {
                assertClose(expected.get(metric).doubleValue(), scores.get().corpus(metric), name + " " + metric);
            }
        }));
        tests.add(DynamicTest.dynamicTest("per-image scores", () -> {
            for (String metric : CaptionEvaluation.METRICS) {
                JsonNode want = expected.get("per_image").get(metric);
                double[] got = scores.get().perImage(metric);
                assertEquals(want.size(), got.length, name + " " + metric + " image count");
                for (int i = 0; i < got.length; i++) {
                    assertClose(want.get(i).doubleValue(), got[i], name + " " + metric + " of " + ids.get(i));
                }
            }
        }));
        tests.add(DynamicTest.dynamicTest("BLEU statistics", () -> {
            JsonNode want = expected.get("bleu_stats");
            Bleu.Stats got = scores.get().bleuStats();
            assertEquals(want.get("testlen").longValue(), got.testlen(), "testlen");
            assertEquals(want.get("reflen").longValue(), got.reflen(), "reflen");
            for (int n = 1; n <= Bleu.MAX_ORDER; n++) {
                assertEquals(want.get("guess").get(n - 1).longValue(), got.guess(n), "guess " + n);
                assertEquals(want.get("correct").get(n - 1).longValue(), got.correct(n), "correct " + n);
            }
            // the first line of what pycocoevalcap printed for this set
            String printed = want.get("printed_by_pycocoevalcap").asText().split("\n")[0];
            assertEquals(printed, got.toString());
        }));
        return DynamicContainer.dynamicContainer(name, tests);
    }

    private static Map<String, List<String>> captions(JsonNode byId) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        byId.fields().forEachRemaining(e -> {
            List<String> caps = new ArrayList<>();
            e.getValue().forEach(c -> caps.add(c.asText()));
            out.put(e.getKey(), caps);
        });
        return out;
    }

    /** Relative comparison, so that BLEU's ~1e-17 zero-overlap scores are checked digit for digit too. */
    static void assertClose(double expected, double actual, String what) {
        if (Double.isNaN(actual) || Math.abs(actual - expected) > RELATIVE * Math.abs(expected)) {
            fail(what + ": expected " + expected + " but was " + actual + " (relative error "
                    + Math.abs(actual - expected) / Math.abs(expected) + ")");
        }
    }

    /** {@code shared/metrics/edge_vectors.json} in the working directory or the nearest parent that has it. */
    private static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(VECTORS);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
