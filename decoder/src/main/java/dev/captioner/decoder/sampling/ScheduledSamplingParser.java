package dev.captioner.decoder.sampling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Reads {@link ScheduledSampling}'s compact command-line form; see its class javadoc for the grammar. */
final class ScheduledSamplingParser {
    static final String FORMS = "linear:k=1,c=1e-4,min=0.25 | exponential:k=0.9999 | inverse-sigmoid:k=1000,min=0.75"
            + " | step:delta=0.05,every=1,max=0.25 | constant:eps=0.75 | teacher-forcing | always-sample";

    private ScheduledSamplingParser() {
    }

    static ScheduledSampling parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "the spec is empty");
        }
        String text = spec.strip();
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> params = colon < 0 ? Map.of() : params(spec, text.substring(colon + 1));
        switch (name) {
            case "teacher-forcing" -> {
                allow(spec, name, params);
                return ScheduledSampling.TEACHER_FORCING;
            }
            case "always-sample" -> {
                allow(spec, name, params);
                return ScheduledSampling.ALWAYS_SAMPLE;
            }
            case "constant" -> {
                allow(spec, name, params, "eps");
                double eps = decimal(spec, params, "eps", null);
                return make(spec, () -> new ScheduledSampling.Constant(eps));
            }
            case "linear" -> {
                allow(spec, name, params, "k", "c", "min");
                double k = decimal(spec, params, "k", 1.0);
                double c = decimal(spec, params, "c", null);
                double min = decimal(spec, params, "min", 0.0);
                return make(spec, () -> new ScheduledSampling.Linear(k, c, min));
            }
            case "exponential" -> {
                allow(spec, name, params, "k");
                double k = decimal(spec, params, "k", null);
                return make(spec, () -> new ScheduledSampling.Exponential(k));
            }
            case "inverse-sigmoid" -> {
                allow(spec, name, params, "k", "min");
                double k = decimal(spec, params, "k", null);
                double min = decimal(spec, params, "min", 0.0);
                return make(spec, () -> new ScheduledSampling.InverseSigmoid(k, min));
            }
            case "step" -> {
                allow(spec, name, params, "delta", "every", "max");
                double delta = decimal(spec, params, "delta", null);
                int every = whole(spec, params, "every", 1);
                double max = decimal(spec, params, "max", 1.0);
                return make(spec, () -> new ScheduledSampling.Step(delta, every, max));
            }
            default -> throw invalid(spec, name.isEmpty() ? "the schedule name is missing" : "unknown schedule '" + name + "'");
        }
    }

    /** Builds the schedule, putting a range error from its constructor into the parser's message form. */
    private static ScheduledSampling make(String spec, Supplier<ScheduledSampling> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    /** {@code key=value,key=value} to an ordered map of lower-case keys; rejects empty parts and repeats. */
    private static Map<String, String> params(String spec, String text) {
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isBlank()) {
            throw invalid(spec, "nothing after ':'");
        }
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw invalid(spec, "'" + part.strip() + "' is not key=value");
            }
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            if (key.isEmpty() || value.isEmpty()) {
                throw invalid(spec, "'" + part.strip() + "' is not key=value");
            }
            if (params.put(key, value) != null) {
                throw invalid(spec, "'" + key + "' is given twice");
            }
        }
        return params;
    }

    private static void allow(String spec, String name, Map<String, String> params, String... keys) {
        for (String key : params.keySet()) {
            if (!List.of(keys).contains(key)) {
                throw invalid(spec, keys.length == 0
                        ? "'" + name + "' takes no parameters"
                        : "'" + name + "' has no parameter '" + key + "' (it takes " + String.join(", ", keys) + ")");
            }
        }
    }

    private static double decimal(String spec, Map<String, String> params, String key, Double fallback) {
        String text = params.get(key);
        if (text == null) {
            if (fallback == null) {
                throw invalid(spec, "'" + key + "' is required");
            }
            return fallback;
        }
        Double value = Numbers.parseDecimal(text);
        if (value == null) {
            throw invalid(spec, key + "='" + text + "' is not a non-negative decimal number");
        }
        return value;
    }

    private static int whole(String spec, Map<String, String> params, String key, int fallback) {
        String text = params.get(key);
        if (text == null) {
            return fallback;
        }
        Integer value = Numbers.parseWhole(text);
        if (value == null) {
            throw invalid(spec, key + "='" + text + "' is not a whole number");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String spec, String problem) {
        String message = "scheduled sampling '" + spec + "': " + problem + " (expected one of " + FORMS + ")";
        return new IllegalArgumentException(message.replaceAll("\\p{Cntrl}", "?")); // one line, whatever was typed
    }
}
