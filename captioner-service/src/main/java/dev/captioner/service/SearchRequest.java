package dev.captioner.service;

import dev.captioner.pipeline.model.Captioner;
import java.util.Locale;
import java.util.function.Function;

/**
 * The options of one captioning request: the search ({@code beam}, {@code n_best}, {@code max_length}) and
 * whether to answer with each word's attention map ({@code attention}). Requests with equal searches can share
 * a batch.
 *
 * @param beam      K; 1 is greedy search
 * @param nBest     captions answered, at most K
 * @param maxLength the most words a caption gets
 * @param attention whether each word's map comes back, as numbers and as a PNG overlay
 */
public record SearchRequest(int beam, int nBest, int maxLength, boolean attention) {
    /** The most a client may ask for: beams and words cost time on a shared server. */
    public static final int MAX_BEAM = 10;
    public static final int MAX_LENGTH = 50;

    /** The search of a request that gives no options. */
    public static final SearchRequest DEFAULT = new SearchRequest(3, 1, 20, false);

    /**
     * Reads the options from a request's parameters (query string or form fields); absent ones take
     * {@link #DEFAULT}'s values.
     *
     * @throws ServiceError 400 with one line naming the bad option
     */
    public static SearchRequest parse(Function<String, String> parameter) {
        int beam = integer(parameter, "beam", DEFAULT.beam(), 1, MAX_BEAM);
        int nBest = integer(parameter, "n_best", DEFAULT.nBest(), 1, beam);
        int maxLength = integer(parameter, "max_length", DEFAULT.maxLength(), 1, MAX_LENGTH);
        String attention = parameter.apply("attention");
        boolean maps = switch (attention == null ? "" : attention.toLowerCase(Locale.ROOT)) {
            case "" -> DEFAULT.attention();
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ServiceError.badRequest("attention must be true or false, got '" + attention + "'");
        };
        return new SearchRequest(beam, nBest, maxLength, maps);
    }

    /** The captioner's search options for this request (the device and batch size are the captioner's own). */
    public Captioner.Options options() {
        return Captioner.Options.builder().optBeamSize(beam).optNBest(nBest).optMaxLength(maxLength).build();
    }

    /** What must match for two requests to share a batch: the search, not whether maps are drawn. */
    public SearchRequest search() {
        return new SearchRequest(beam, nBest, maxLength, false);
    }

    private static int integer(Function<String, String> parameter, String name, int absent, int min, int max) {
        String text = parameter.apply(name);
        if (text == null || text.isEmpty()) {
            return Math.min(absent, max);
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ServiceError.badRequest(name + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw ServiceError.badRequest(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
