package dev.captioner.pipeline.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.BeamSearch;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.decoder.search.SearchModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decoding with the soft-attention LSTM decoder (shared/bench WORKLOADS.md section 6): greedy over 16
 * images, or beam search of width K over one image ({@code single}, the 16 in turn) or over the 16
 * together ({@code batch16}, 16 K rows). V = 10000, E = H = A = D = 512, L = 196, seed-0 weights, 16
 * grids uniform in [0, 1). {@code <end>} is banned at every step (the searches' minimum length equals
 * their maximum, 20), so every caption runs exactly 20 steps. The project's own {@link GreedySearch} and
 * {@link BeamSearch} run it; the timed region goes from the grid to the token ids (the pooled mean,
 * W_enc a, the initial state, the 20 steps, the selection and reordering, the result).
 */
final class DecodeWorkload implements Workload {
    private static final int N = 16;
    private static final int L = 196;
    private static final int SIZE = 512;
    private static final int V = 10_000;
    private static final int STEPS = 20;

    private final int beamSize; // 0 for greedy
    private final boolean single;
    private NDManager manager;
    private SearchModel<CaptionDecoder.State> model;
    private NDArray grid;
    private GreedySearch greedy;
    private BeamSearch beam;
    private int next;
    private int[][] lastWords;
    private int longest;
    private int shortest = Integer.MAX_VALUE;

    private DecodeWorkload(int beamSize, boolean single) {
        this.beamSize = beamSize;
        this.single = single;
    }

    /** {@code greedy-att-lstm}: greedy decoding of the 16 images together. */
    static DecodeWorkload greedy() {
        return new DecodeWorkload(0, false);
    }

    /** {@code beam-att-lstm-k{K}-single} or {@code -batch16}. */
    static DecodeWorkload beam(int beamSize, boolean single) {
        return new DecodeWorkload(beamSize, single);
    }

    @Override
    public String name() {
        return beamSize == 0 ? "greedy-att-lstm" : "beam-att-lstm-k" + beamSize + (single ? "-single" : "-batch16");
    }

    @Override
    public String description() {
        return beamSize == 0 ? "greedy decoding of 16 images together, 20 steps, <end> banned"
                : "beam search K=" + beamSize + (single ? " of one image" : " of 16 images together") + ", 20 steps, <end> banned";
    }

    @Override
    public int defaultIterations() {
        return single ? 32 : 20;
    }

    @Override
    public int imagesPerIteration() {
        return single ? 1 : N;
    }

    /** 2 x (n L D A + 2 n D H + S step(n K)) / 1e9, step(rows) = rows x 8,990,720 MACs (WORKLOADS.md section 9). */
    @Override
    public double gflopPerIteration() {
        if (beamSize == 0) {
            return 7.4150;
        }
        if (beamSize == 3) {
            return single ? 1.1827 : 18.9231;
        }
        return single ? 1.9020 : 30.4312;
    }

    @Override
    public void prepare() {
        manager = NDManager.newBaseManager();
        Engine.getEngine("PyTorch").setRandomSeed(0);
        DecoderConfig config = new DecoderConfig(CellType.LSTM, true, V, SIZE, SIZE, SIZE, SIZE, 1, 0.5f, true, false);
        CaptionDecoder decoder = new CaptionDecoder(config);
        decoder.initialize(manager, DataType.FLOAT32, new Shape(N, L, SIZE), new Shape(N, SIZE), new Shape(N, STEPS));
        model = SearchModel.of(decoder);
        SplittableRandom random = new SplittableRandom(0);
        float[] features = new float[N * L * SIZE];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        grid = manager.create(features, new Shape(N, L, SIZE)); // (N, L, D)
        if (beamSize == 0) {
            greedy = GreedySearch.builder().setMaxLength(STEPS).optMinLength(STEPS).build();
        } else {
            beam = BeamSearch.builder().setBeamSize(beamSize).setMaxLength(STEPS).optMinLength(STEPS).build();
        }
    }

    @Override
    public void iterate() {
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(grid); // what is computed from the grid lands in the scope
            NDArray a = single ? grid.get(next + ":" + (next + 1)) : grid; // (n, L, D)
            next = (next + 1) % N;
            NDArray pooled = a.mean(new int[] {1}); // (n, D)
            lastWords = greedy != null ? greedy.decode(model, a, pooled).words() : beam.search(model, a, pooled).words();
        }
        for (int[] words : lastWords) {
            longest = Math.max(longest, words.length);
            shortest = Math.min(shortest, words.length);
        }
    }

    @Override
    public Map<String, Object> extraFigures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("beam_size", beamSize == 0 ? 1 : beamSize);
        figures.put("decoded_tokens_min", shortest); // both 20: no caption ended early
        figures.put("decoded_tokens_max", longest);
        return figures;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
