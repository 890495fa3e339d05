package dev.captioner.decoder.search;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tiny real decoders (V = 6 words, L = 3 locations, D = 6) whose every caption up to a few words can be
 * enumerated, and the exhaustive search that is the oracle of the search tests.
 */
final class TinyDecoders {
    static final int V = 6;
    static final int L = 3;
    static final int D = 6;

    private TinyDecoders() {}

    /**
     * A decoder with the engine's seeded initialisation, every parameter then multiplied by {@code sharpen}
     * so that the next-word distributions are far from uniform (and ties far apart).
     */
    static CaptionDecoder decoder(NDManager manager, CellType cell, boolean attention, int seed, float sharpen) {
        return decoder(manager, cell, attention, seed, sharpen, V);
    }

    static CaptionDecoder decoder(NDManager manager, CellType cell, boolean attention, int seed, float sharpen, int vocabulary) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        DecoderConfig config = new DecoderConfig(cell, attention, vocabulary, 4, 8, 5, D, 1, 0.3f, true, false);
        CaptionDecoder decoder = new CaptionDecoder(config);
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, L, D), new Shape(1, D), new Shape(1, 2));
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            p.getValue().getArray().muli(sharpen);
        }
        return decoder;
    }

    /** A second decoder of the same configuration holding a copy of {@code from}'s weights. */
    static CaptionDecoder copyOf(NDManager manager, CaptionDecoder from) {
        CaptionDecoder to = new CaptionDecoder(from.config());
        to.initialize(manager, DataType.FLOAT32, new Shape(1, L, D), new Shape(1, D), new Shape(1, 2));
        List<Parameter> source = from.getParameters().values();
        List<Parameter> target = to.getParameters().values();
        for (int i = 0; i < source.size(); i++) {
            target.get(i).getArray().set(source.get(i).getArray().toFloatArray());
        }
        return to;
    }

    /** n grids (n, L, D), uniform in [0, 1). */
    static NDArray grid(NDManager manager, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n * L * D];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return manager.create(values, new Shape(n, L, D)); // (n, L, D)
    }

    /** A caption of the exhaustive search: its words, log-probability and whether it ended with {@code <end>}. */
    record Sequence(int[] words, double logProb, boolean finished) {
        int length() {
            return words.length + (finished ? 1 : 0);
        }

        double score(LengthNormalization normalization) {
            return normalization.score(logProb, length());
        }

        @Override
        public String toString() {
            return Arrays.toString(words) + (finished ? " <end>" : " ...") + " " + logProb;
        }
    }

    /**
     * Every caption of image {@code image} up to {@code maxLength} tokens: those ending with {@code <end>}
     * and those cut at the maximum length, with log-probabilities computed in float64 from the decoder's
     * logits, one step at a time, by {@link CaptionDecoder#step} directly.
     */
    static List<Sequence> enumerate(CaptionDecoder decoder, NDArray grid, int image, int maxLength, boolean banEnd) {
        List<Sequence> out = new ArrayList<>();
        try (NDManager scope = grid.getManager().newSubManager()) {
            NDArray one = grid.get(image + ":" + (image + 1)).duplicate(); // (1, L, D)
            one.attach(scope);
            NDArray pooled = one.mean(new int[] {1}); // (1, D)
            ParameterStore ps = new ParameterStore(scope, false);
            CaptionDecoder.State state = decoder.start(ps, decoder.config().attention() ? one : null, pooled, false);
            expand(decoder, ps, scope, state, Vocabulary.START_ID, new int[0], 0, maxLength, banEnd, out);
        }
        return out;
    }

    private static void expand(CaptionDecoder decoder, ParameterStore ps, NDManager scope, CaptionDecoder.State state, int previous,
            int[] prefix, double logProb, int maxLength, boolean banEnd, List<Sequence> out) {
        CaptionDecoder.Step step = decoder.step(ps, state, scope.create(new long[] {previous}), false);
        double[] logp = logSoftmax(step.logits().toFloatArray(), banEnd);
        for (int w = 0; w < logp.length; w++) {
            if (banEnd && w == Vocabulary.END_ID) {
                continue;
            }
            double next = logProb + logp[w];
            if (w == Vocabulary.END_ID) {
                out.add(new Sequence(prefix, next, true));
                continue;
            }
            int[] words = Arrays.copyOf(prefix, prefix.length + 1);
            words[prefix.length] = w;
            if (words.length == maxLength) {
                out.add(new Sequence(words, next, false));
            } else {
                expand(decoder, ps, scope, step.state(), w, words, next, maxLength, banEnd, out);
            }
        }
    }

    /** log_softmax in float64, over every word but {@code <end>} when it is banned. */
    static double[] logSoftmax(float[] logits, boolean banEnd) {
        double max = Double.NEGATIVE_INFINITY;
        for (int w = 0; w < logits.length; w++) {
            if (!(banEnd && w == Vocabulary.END_ID)) {
                max = Math.max(max, logits[w]);
            }
        }
        double sum = 0;
        for (int w = 0; w < logits.length; w++) {
            if (!(banEnd && w == Vocabulary.END_ID)) {
                sum += Math.exp(logits[w] - max);
            }
        }
        double[] out = new double[logits.length];
        for (int w = 0; w < logits.length; w++) {
            out[w] = banEnd && w == Vocabulary.END_ID ? Double.NEGATIVE_INFINITY : logits[w] - max - Math.log(sum);
        }
        return out;
    }

    /** The captions best first by {@code normalization}'s score. */
    static List<Sequence> ranked(List<Sequence> all, LengthNormalization normalization) {
        List<Sequence> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingDouble((Sequence s) -> s.score(normalization)).reversed());
        return sorted;
    }

    static List<Sequence> finishedOnly(List<Sequence> all) {
        return all.stream().filter(Sequence::finished).toList();
    }
}
