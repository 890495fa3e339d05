package dev.captioner.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/** Helpers shared by the decoder tests: comparisons, the torch fixture and its closed-form values. */
public final class TestSupport {

    private TestSupport() {}

    /** The largest |expected - actual|, after checking the lengths agree. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }

    /** Asserts every element within {@code tolerance} and returns the largest difference. */
    public static double assertClose(String what, float[] expected, float[] actual, double tolerance) {
        double max = maxAbsDiff(expected, actual);
        assertTrue(max <= tolerance, what + ": max |diff| " + max + " > " + tolerance);
        return max;
    }

    /** As {@link #assertClose(String, float[], float[], double)} for two float32 arrays. */
    public static double assertClose(String what, NDArray expected, NDArray actual, double tolerance) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        return assertClose(what, expected.toFloatArray(), actual.toFloatArray(), tolerance);
    }

    /** {@code scale * fn(freq * i + phase)} for i = 0 .. n-1, computed in float64, rounded to float32. */
    public static float[] formula(long n, double scale, double freq, double phase, DoubleUnaryOperator fn) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * fn.applyAsDouble(freq * i + phase));
        }
        return v;
    }

    /** The weight formula of torch_cells.py for tensor number k: 0.3 sin(0.1 i + k). */
    public static void setFormulaWeights(Parameter parameter, int k) {
        NDArray array = parameter.getArray();
        array.set(formula(array.size(), 0.3, 0.1, k, Math::sin));
    }

    /** The lines of torch-cells/expected.txt, by their first three words (e.g. "lstm h 2"). */
    public static Map<String, float[]> torchFixture() {
        String resource = "/torch-cells/expected.txt";
        try (InputStream in = Objects.requireNonNull(TestSupport.class.getResourceAsStream(resource), resource);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Map<String, float[]> rows = new HashMap<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                int skip = parts[0].endsWith("sizes") ? 1 : 3;
                String key = String.join(" ", java.util.Arrays.copyOf(parts, skip));
                float[] values = new float[parts.length - skip];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.parseFloat(parts[skip + i]);
                }
                rows.put(key, values);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
