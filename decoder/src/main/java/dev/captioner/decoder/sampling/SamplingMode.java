package dev.captioner.decoder.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Where scheduled sampling finds the model's own previous token ŷ_{t−1} when the coin (see
 * {@link TeacherForcingMask}) says not to feed the ground truth. Bengio et al. 2015 sample it from the
 * model's output distribution, ŷ ~ softmax(logits), which is {@link #SAMPLE} and the default; taking the
 * most likely word, ŷ = argmax logits, is {@link #ARGMAX} (what greedy decoding would feed).
 *
 * <p>Either way the token is chosen outside autograd: the logits are detached first and the result is
 * a plain {@code long[]} of word ids, so no gradient flows through the choice (as in the paper).
 *
 * <p>The command line writes the modes as {@code sample} and {@code argmax}.
 */
public enum SamplingMode {
    /** ŷ ~ softmax(logits), drawn from the caller's {@link Random}: deterministic for a seed. */
    SAMPLE,
    /** ŷ = argmax logits; ties go to the lowest id. Needs no generator. */
    ARGMAX;

    /** The command-line form: {@code sample} or {@code argmax}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code sample} or {@code argmax} (any case).
     *
     * @throws IllegalArgumentException with a one-line message for anything else
     */
    public static SamplingMode parse(String text) {
        String key = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (SamplingMode mode : values()) {
            if (mode.name().equals(key)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("sampling mode '" + text + "': expected sample or argmax");
    }

    /**
     * Picks one token per row of {@code logits}.
     *
     * @param logits the decoder's scores for the next word, (B, V); log-probabilities work the same,
     *               since softmax ignores a per-row shift. Not modified; nothing is left attached to its
     *               manager.
     * @param rng    the seeded generator for {@link #SAMPLE} (one {@code nextDouble()} per row); unused,
     *               and may be null, for {@link #ARGMAX}
     * @return the chosen word ids, (B)
     */
    public long[] choose(NDArray logits, Random rng) {
        if (logits.getShape().dimension() != 2) {
            throw new IllegalArgumentException("logits must be (B, V), got " + logits.getShape());
        }
        int batch = Math.toIntExact(logits.getShape().get(0));
        int vocabulary = Math.toIntExact(logits.getShape().get(1));
        try (NDManager scope = logits.getManager().newSubManager()) {
            NDArray detached = logits.stopGradient(); // no gradient flows through the choice
            detached.attach(scope);                   // ops on it now land in scope, closed below
            if (this == ARGMAX) {
                long[] ids = detached.argMax(1).toType(DataType.INT64, false).toLongArray(); // (B)
                return ids;
            }
            Objects.requireNonNull(rng, "SAMPLE needs a random generator");
            float[] probabilities = detached.toType(DataType.FLOAT32, false).softmax(1).toFloatArray(); // (B, V)
            long[] ids = new long[batch];
            for (int b = 0; b < batch; b++) {
                ids[b] = draw(probabilities, b * vocabulary, vocabulary, rng, b);
            }
            return ids;
        }
    }

    /** Inverse-CDF draw from one row; the uniform is scaled by the row's sum, so float rounding cannot run off the end. */
    private static int draw(float[] p, int offset, int vocabulary, Random rng, int row) {
        double total = 0;
        int last = -1;
        for (int v = 0; v < vocabulary; v++) {
            total += p[offset + v];
            if (p[offset + v] > 0) {
                last = v;
            }
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException("logits row " + row + " gives no distribution (NaN or infinite scores?): "
                    + Arrays.toString(Arrays.copyOfRange(p, offset, offset + Math.min(vocabulary, 8))));
        }
        double u = rng.nextDouble() * total;
        double cumulative = 0;
        for (int v = 0; v < vocabulary; v++) {
            cumulative += p[offset + v];
            if (u < cumulative) {
                return v;
            }
        }
        return last;
    }
}
