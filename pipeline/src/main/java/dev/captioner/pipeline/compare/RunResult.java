package dev.captioner.pipeline.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.metrics.grounding.GroundingReport;
import dev.captioner.metrics.grounding.ObjectMention;
import dev.captioner.pipeline.report.RunScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one run of a comparison (one model, one seed) came to, as its {@value #FILE} holds it: how it was
 * trained and evaluated, and its test scores. The file is written last, atomically, so its presence marks
 * a finished run that a rerun of the comparison skips. Scores that are undefined (NaN: grounding with
 * nothing to ground) are stored as JSON {@code null} and read back as missing.
 *
 * @param model               the model's name ({@link CompareModel#name()})
 * @param seed                the run's seed
 * @param steps               training steps taken
 * @param checkpoint          {@code best} (the best validation CIDEr-D) or {@code final}: the parameters evaluated
 * @param snapshot            the evaluated checkpoint snapshot, relative to the run folder
 * @param bestStep            the step of the best validation; null without validations
 * @param bestValidationCider the best validation CIDEr-D; null without validations
 * @param trainSeconds        wall-clock seconds of training, validations included
 * @param testSeconds         wall-clock seconds of captioning and scoring the test split
 * @param testImages          the test images scored
 * @param test                test scores by metric name ({@link SplitScores})
 * @param testByObjectCount   the same by the number of objects in the image
 * @param grounding           the grounding counts of an attention model; null for a plain model
 */
public record RunResult(String model, long seed, long steps, String checkpoint, String snapshot, Long bestStep,
        Double bestValidationCider, double trainSeconds, double testSeconds, int testImages, Map<String, Double> test,
        SortedMap<Integer, Map<String, Double>> testByObjectCount, GroundingReport grounding) {
    /** The file in each run folder. */
    public static final String FILE = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunResult {
        Objects.requireNonNull(model, "model");
        test = defined(test);
        if (grounding != null && !grounding.hallucinations().isEmpty()
                && !test.containsKey(SplitScores.wrong(ObjectMention.Hallucination.SIZE))) {
            // saved before the parts of the hallucination rate were tabled: its grounding counts hold them
            Map<String, Double> parts = new LinkedHashMap<>(test);
            for (ObjectMention.Hallucination kind : ObjectMention.Hallucination.values()) {
                parts.put(SplitScores.wrong(kind), grounding.hallucinationRate(kind));
            }
            test = defined(parts);
        }
        TreeMap<Integer, Map<String, Double>> counts = new TreeMap<>();
        testByObjectCount.forEach((count, scores) -> counts.put(count, defined(scores)));
        testByObjectCount = counts;
        if (bestValidationCider != null && !Double.isFinite(bestValidationCider)) {
            bestValidationCider = null;
        }
    }

    /** The scores as the report's tables take them. */
    public RunScores scores() {
        return new RunScores(model, seed, test, testByObjectCount);
    }

    /** Writes {@code dir/}{@value #FILE} atomically. */
    public void write(Path dir) throws IOException {
        AtomicFile.write(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /** Whether {@code dir} holds a finished run. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads {@code dir/}{@value #FILE}. */
    public static RunResult read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        try {
            return JSON.readValue(file.toFile(), RunResult.class);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, "not a comparison run's result (" + e.getOriginalMessage() + ")");
        }
    }

    /** The scores with NaN made null (JSON has no NaN), in their order. */
    private static Map<String, Double> defined(Map<String, Double> scores) {
        Map<String, Double> out = new LinkedHashMap<>();
        scores.forEach((metric, score) -> out.put(metric, score == null || Double.isNaN(score) ? null : score));
        return out;
    }
}
