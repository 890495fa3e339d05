package dev.captioner.decoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.captioner.decoder.attention.Attended;
import dev.captioner.decoder.attention.ContextGate;
import dev.captioner.decoder.attention.SoftAttention;
import dev.captioner.decoder.cell.FusedGateCell;
import dev.captioner.decoder.cell.StackedCell;
import dev.captioner.decoder.sampling.SamplingMode;
import java.util.Random;

/**
 * The recurrent caption decoder, plain or with soft attention, LSTM or GRU ({@link DecoderConfig}).
 *
 * <p><b>Plain</b> ("Show and Tell", Vinyals et al. 2015): the pooled image vector v initialises the
 * state, {@code h_0 = tanh(W_h v + b_h)} and {@code c_0 = tanh(W_c v + b_c)} for every layer, and the
 * input at step t is {@code embed(y_{t-1})}. (The paper feeds v as the first input instead; initialising
 * the state keeps all decoders at T steps, as the project's benchmark does.)
 *
 * <p><b>Soft attention</b> ("Show, Attend and Tell", Xu et al. 2015), over the grid a = (a_1 .. a_L):
 * <pre>
 *   h_0, c_0 = tanh(MLP(mean_i a_i))                  (mean_i a_i is the pooled vector)
 *   e_ti     = w^T tanh(W_a a_i + W_h h_{t-1})        (W_a a computed once per batch)
 *   alpha_t  = softmax_i(e_t)
 *   z_t      = beta_t * sum_i alpha_ti a_i,  beta_t = sigmoid(W_b h_{t-1} + b_b)   (scalar or vector gate)
 *   x_t      = [embed(y_{t-1}); z_t]
 * </pre>
 * Both: {@code h_t = cell(x_t, h_{t-1})} and {@code logits_t = W_o dropout(h_t) + b_o}, or with the deep
 * output of Xu et al. eq. 7, {@code logits_t = W_o dropout(E y_{t-1} + L_h h_t + L_z z_t) + b_o}.
 *
 * <p><b>Attention after the cell</b> ({@link AttentionPlacement#AFTER_CELL}, Lu et al. 2017 eq. 1-4):
 * <pre>
 *   h_t      = cell(E y_{t-1}, h_{t-1})
 *   alpha_t  = softmax_i(w^T tanh(W_a a_i + W_h h_t)),  c_t = sum_i alpha_ti a_i     (no gate)
 *   logits_t = W_o dropout(h_t + W_z c_t) + b_o
 * </pre>
 * Teacher-forced, its cell runs the whole sequence in one fused call, as the plain decoder's does.
 *
 * <p>Training unrolls the one-layer attention decoder with its products fused: the three products of
 * h_{t-1} (attention, gate, recurrent) are one matrix product, and the word part of the cell's input
 * product is computed for all steps at once; the arithmetic is the same as step by step.
 *
 * <p>As a block, {@code (grid (B, L, D), pooled (B, D), inputs (B, T) ids)} gives the teacher-forced
 * {@code (logits (B, T, V), alphas (B, T, L))}; the plain decoder's alphas are (B, T, 0). Search and
 * scheduled sampling drive it step by step through {@link #start} and {@link #step}.
 */
public final class CaptionDecoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final DecoderConfig config;
    private final Parameter embedding;
    private final Linear initH; // POOLED: h_0 = tanh(W_h v + b_h)
    private final Linear initC;
    private final Parameter learnedH; // LEARNED: h_0 = tanh(h), the same for every image
    private final Parameter learnedC;
    private final StackedCell cell;
    private final SoftAttention attention;
    private final ContextGate gate;
    private final Linear deepH;
    private final Linear deepZ;
    private final Linear contextToHidden; // AFTER_CELL: W_z (H, D)
    private final Linear output;

    public CaptionDecoder(DecoderConfig config) {
        super(VERSION);
        this.config = config;
        int h = config.hiddenSize();
        int layers = config.layers();
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optInitializer(new UniformInitializer(0.1f)).optShape(new Shape(config.vocabularySize(), config.embeddingSize()))
                .build());
        boolean memory = config.cell().stateCount() == 2;
        boolean pooled = config.initialState() == InitialState.POOLED;
        initH = pooled ? addChildBlock("init_h", Linear.builder().setUnits((long) h * layers).build()) : null;
        initC = pooled && memory ? addChildBlock("init_c", Linear.builder().setUnits((long) h * layers).build()) : null;
        boolean learned = config.initialState() == InitialState.LEARNED;
        learnedH = learned ? addParameter(learnedState("h0", (long) h * layers)) : null;
        learnedC = learned && memory ? addParameter(learnedState("c0", (long) h * layers)) : null;
        cell = addChildBlock("cell", StackedCell.builder().setCellType(config.cell()).setInputSize(config.cellInputSize())
                .setHiddenSize(h).setNumLayers(layers).optDropRate(config.dropout()).build());
        if (config.attention()) {
            attention = addChildBlock("attention", SoftAttention.builder().setFeatureSize(config.featureSize())
                    .setHiddenSize(h).setAttentionSize(config.attentionSize()).build());
            gate = config.attendsAfterCell() ? null : addChildBlock("gate", ContextGate.builder().setHiddenSize(h)
                    .setFeatureSize(config.featureSize()).optScalar(!config.vectorGate()).build());
        } else {
            attention = null;
            gate = null;
        }
        if (config.deepOutput()) {
            deepH = addChildBlock("deep_h", Linear.builder().setUnits(config.embeddingSize()).build());
            deepZ = config.attention() ? addChildBlock("deep_z", Linear.builder().setUnits(config.embeddingSize()).build()) : null;
        } else {
            deepH = null;
            deepZ = null;
        }
        contextToHidden = config.attendsAfterCell() && deepZ == null
                ? addChildBlock("context_h", Linear.builder().setUnits(h).optBias(false).build()) : null;
        output = addChildBlock("fc", Linear.builder().setUnits(config.vocabularySize()).build());
    }

    public DecoderConfig config() {
        return config;
    }

    /** What a decoder carries from step to step: the cell state and, for attention, the grid and its projection. */
    public record State(NDList cell, NDArray grid, NDArray projected) {}

    /** One step's output: the next-word logits (B, V), the attention weights (B, L) or null, the new state. */
    public record Step(NDArray logits, NDArray alpha, State state) {}

    /** A whole unrolled sequence: logits (B, T, V) and alphas (B, T, L), (B, T, 0) without attention. */
    public record Unrolled(NDArray logits, NDArray alphas) {}

    /**
     * The initial state from the image: {@code grid} (B, L, D) and {@code pooled} (B, D). The plain
     * decoder only needs {@code pooled}; {@code grid} may then be null.
     */
    public State start(ParameterStore ps, NDArray grid, NDArray pooled, boolean training) {
        checkFeatures(grid, pooled);
        if (pooled.getShape().get(0) == 0) {
            throw new IllegalArgumentException("CaptionDecoder: an empty batch");
        }
        int h = config.hiddenSize();
        NDArray h0 = initialState(ps, initH, learnedH, pooled, training); // (B, H * layers)
        NDArray c0 = config.cell().stateCount() == 2 ? initialState(ps, initC, learnedC, pooled, training) : null; // (B, H * layers)
        NDList state = new NDList(cell.stateCount());
        for (int layer = 0; layer < config.layers(); layer++) {
            String columns = ":, " + (layer * h) + ":" + ((layer + 1) * h);
            state.add(h0.get(columns)); // (B, H)
            if (c0 != null) {
                state.add(c0.get(columns)); // (B, H)
            }
        }
        NDArray projected = config.attention() ? attention.projectFeatures(ps, grid) : null; // (B, L, A)
        return new State(state, config.attention() ? grid : null, projected);
    }

    /** h_0 or c_0 for every layer, (B, H * layers), as {@link DecoderConfig#initialState()} says. */
    private NDArray initialState(ParameterStore ps, Linear fromPooled, Parameter learned, NDArray pooled, boolean training) {
        long b = pooled.getShape().get(0);
        long width = (long) config.hiddenSize() * config.layers();
        switch (config.initialState()) {
            case POOLED:
                return linear(ps, fromPooled, pooled, training).tanh();
            case LEARNED:
                // Op results land in the receiver's manager: the parameter's. Move the row into the batch's.
                NDArray row = ps.getValue(learned, pooled.getDevice(), training).tanh(); // (H * layers)
                row.attach(pooled.getManager());
                // Broadcast to every image: the row's gradient is the sum over the batch.
                return pooled.getManager().ones(new Shape(b, 1)).mul(row.expandDims(0)); // (B, H * layers)
            default:
                return pooled.getManager().zeros(new Shape(b, width));
        }
    }

    private static Parameter learnedState(String name, long width) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS)
                .optInitializer(new UniformInitializer(0.1f)).optShape(new Shape(width)).build();
    }

    /** One step from {@code state}, reading the previous words {@code tokens} (B) (integer ids). */
    public Step step(ParameterStore ps, State state, NDArray tokens, boolean training) {
        NDArray words = Embedding.embedding(tokens, ps.getValue(embedding, tokens.getDevice(), training), SparseFormat.DENSE).head(); // (B, E)
        return stepEmbedded(ps, state, words, training);
    }

    private Step stepEmbedded(ParameterStore ps, State state, NDArray words, boolean training) {
        Recurrence out = recur(ps, state, words, training);
        return new Step(outputLayer(ps, out.hidden(), words, out.context(), training), out.alpha(), out.state());
    }

    /**
     * Runs T steps. At step t the decoder reads {@code inputs[:, t]} where {@code feedTruth} is null or
     * true at (b, t), else its own choice from step t-1's logits ({@link SamplingMode}; no gradient flows
     * through the choice: scheduled sampling, Bengio et al. 2015). Step 0 always reads {@code inputs[:, 0]}.
     *
     * @param inputs (B, T) integer ids, {@code <start>} first
     */
    public Unrolled unroll(ParameterStore ps, NDArray grid, NDArray pooled, NDArray inputs, boolean[][] feedTruth,
            SamplingMode mode, Random random, boolean training) {
        State state = start(ps, grid, pooled, training);
        NDArray table = ps.getValue(embedding, inputs.getDevice(), training);
        NDArray teacher = Embedding.embedding(inputs, table, SparseFormat.DENSE).head(); // (B, T, E), all steps in one lookup
        if (feedTruth == null && !config.attention()) {
            // Teacher-forced plain decoder: no step depends on the previous output, so libtorch's fused
            // LSTM/GRU runs the whole sequence in one call, with the same weights the step cell uses.
            NDArray hidden = fusedSequence(ps, teacher, state, training); // (B, T, H)
            NDArray noAlphas = inputs.getManager().zeros(new Shape(inputs.getShape().get(0), inputs.getShape().get(1), 0)); // (B, T, 0)
            return new Unrolled(outputLayer(ps, hidden, teacher, null, training), noAlphas);
        }
        if (feedTruth == null && config.attendsAfterCell()) {
            return unrollAfterCell(ps, state, teacher, training);
        }
        return unrollStepwise(ps, state, inputs, table, teacher, feedTruth == null ? null : new Feeding(feedTruth, mode, random,
                inputs.toType(DataType.INT64, false).toLongArray()), training);
    }

    /** Scheduled sampling's choice per (row, step): the ground truth where {@code truth} holds it, else the model's own word. */
    private record Feeding(boolean[][] feedTruth, SamplingMode mode, Random random, long[] truth) {}

    /**
     * Step by step: the attention decoder before its cell (with its products fused where it has one layer), and any
     * decoder under scheduled sampling, where step t's input depends on step t-1's output.
     */
    private Unrolled unrollStepwise(ParameterStore ps, State state, NDArray inputs, NDArray table, NDArray teacher, Feeding feeding,
            boolean training) {
        long b = inputs.getShape().get(0);
        int t = (int) inputs.getShape().get(1);
        FusedProducts fused = config.attention() && config.layers() == 1 && !config.attendsAfterCell()
                ? fuse(ps, teacher, training) : null;
        NDList hiddens = new NDList(t);
        NDList contexts = new NDList(t);
        NDList logits = new NDList(t);
        NDList alphas = new NDList(t);
        NDArray previous = null;
        for (int step = 0; step < t; step++) {
            NDArray words = teacher.get(":, " + step + ", :"); // (B, E)
            NDArray wordGates = fused == null ? null : fused.wordGates().get(":, " + step + ", :"); // (B, G·H)
            if (feeding != null && step > 0 && needsOwnWords(feeding.feedTruth(), step)) {
                words = Embedding.embedding(fedWords(feeding, previous, step, t, inputs.getManager()), table, SparseFormat.DENSE).head(); // (B, E)
                wordGates = fused == null ? null : Linear.linear(words, fused.wordWeight(), fused.inputBias()).head(); // (B, G·H)
            }
            Recurrence out = fused == null ? recur(ps, state, words, training) : recurFused(ps, fused, state, wordGates);
            if (out.alpha() != null) {
                alphas.add(out.alpha());
            }
            if (feeding != null) {
                // Scheduled sampling needs this step's words before the next step: project now.
                previous = outputLayer(ps, out.hidden(), words, out.context(), training); // (B, V)
                logits.add(previous);
            } else {
                hiddens.add(out.hidden());
                if (out.context() != null) {
                    contexts.add(out.context());
                }
            }
            state = out.state();
        }
        // Teacher forcing: one output projection over all steps, (B*T, H) x (H, V), instead of T small ones.
        NDArray allLogits = feeding == null
                ? outputLayer(ps, NDArrays.stack(hiddens, 1), teacher, contexts.isEmpty() ? null : NDArrays.stack(contexts, 1), training) // (B, T, V)
                : NDArrays.stack(logits, 1); // (B, T, V)
        NDArray allAlphas = config.attention() ? NDArrays.stack(alphas, 1) // (B, T, L)
                : inputs.getManager().zeros(new Shape(b, t, 0));
        return new Unrolled(allLogits, allAlphas);
    }

    /** Step {@code step}'s input ids (B): each row's ground truth, or its own choice from the previous step's logits (B, V). */
    private static NDArray fedWords(Feeding feeding, NDArray previous, int step, int t, NDManager manager) {
        long[] chosen = feeding.mode().choose(previous, feeding.random());
        long[] ids = new long[chosen.length];
        for (int row = 0; row < ids.length; row++) {
            ids[row] = feeding.feedTruth()[row][step] ? feeding.truth()[row * t + step] : chosen[row];
        }
        return manager.create(ids); // (B)
    }

    /**
     * Teacher forcing with attention after the cell: the cell never reads the context, so all T hidden
     * states come from one fused call, then each step attends from its h_t.
     */
    private Unrolled unrollAfterCell(ParameterStore ps, State state, NDArray teacher, boolean training) {
        int t = (int) teacher.getShape().get(1);
        NDArray hidden = fusedSequence(ps, teacher, state, training); // (B, T, H)
        NDList contexts = new NDList(t);
        NDList alphas = new NDList(t);
        for (int step = 0; step < t; step++) {
            NDArray h = hidden.get(":, " + step + ", :"); // (B, H)
            Attended attended = attention.attend(ps, state.grid(), state.projected(), h, !training); // (B, D), (B, L)
            contexts.add(attended.context());
            alphas.add(attended.alpha());
        }
        NDArray logits = outputLayer(ps, hidden, teacher, NDArrays.stack(contexts, 1), training); // (B, T, V)
        return new Unrolled(logits, NDArrays.stack(alphas, 1)); // (B, T, L)
    }

    /**
     * The one-layer attention decoder's fused products for one unroll: {@code [W_h; W_beta; W_hh]} (A + D' + G·H, H)
     * applied to h_{t-1} at once, and the word columns of W_ih applied to all T embedded words at once.
     */
    private FusedProducts fuse(ParameterStore ps, NDArray teacher, boolean training) {
        Device device = teacher.getDevice();
        FusedGateCell layer = (FusedGateCell) cell.layers().get(0);
        NDArray hWeight = NDArrays.concat(new NDList(ps.getValue(attention.decoderWeight(), device, true),
                ps.getValue(gate.weight(), device, true), ps.getValue(layer.weightHh(), device, training))); // (A + D' + G·H, H)
        NDArray hBias = NDArrays.concat(new NDList(ps.getValue(attention.decoderBias(), device, true),
                ps.getValue(gate.bias(), device, true), ps.getValue(layer.biasHh(), device, training))); // (A + D' + G·H)
        NDArray inputWeight = ps.getValue(layer.weightIh(), device, training); // (G·H, E + D)
        int e = config.embeddingSize();
        NDArray wordWeight = inputWeight.get(":, 0:" + e); // (G·H, E)
        NDArray contextWeight = inputWeight.get(":, " + e + ":"); // (G·H, D)
        NDArray inputBias = ps.getValue(layer.biasIh(), device, training); // (G·H)
        NDArray wordGates = Linear.linear(teacher, wordWeight, inputBias).head(); // (B, T, G·H)
        // Results of operations on parameters land in the parameters' manager: move them into the step's.
        for (NDArray made : new NDArray[] {hWeight, hBias, wordWeight, contextWeight}) {
            made.attach(teacher.getManager());
        }
        long[] splits = {config.attentionSize(), config.attentionSize() + gate.gateSize()};
        return new FusedProducts(layer, hWeight, hBias, splits, wordWeight, contextWeight, inputBias, wordGates);
    }

    /** See {@link #fuse}. */
    private record FusedProducts(FusedGateCell layer, NDArray hWeight, NDArray hBias, long[] splits, NDArray wordWeight,
            NDArray contextWeight, NDArray inputBias, NDArray wordGates) {}

    private Recurrence recurFused(ParameterStore ps, FusedProducts fused, State state, NDArray wordGates) {
        NDArray hPrev = state.cell().get(0); // (B, H)
        NDList parts = Linear.linear(hPrev, fused.hWeight(), fused.hBias()).head().split(fused.splits(), 1); // (B, A), (B, D'), (B, G·H)
        Attended attended = attention.attendProjected(ps, state.grid(), state.projected(), parts.get(0)); // (B, D), (B, L)
        NDArray z = gate.applyLogits(parts.get(1), attended.context()); // (B, D)
        NDArray gx = wordGates.add(Linear.linear(z, fused.contextWeight(), null).head()); // (B, G·H)
        NDList next = fused.layer().stepFromGates(gx, parts.get(2), state.cell());
        return new Recurrence(next.get(0), attended.alpha(), z, new State(next, state.grid(), state.projected()));
    }

    /** The recurrent part of one step: the top hidden state (B, H), alpha (B, L) and z_t (B, D) or null, the new state. */
    private record Recurrence(NDArray hidden, NDArray alpha, NDArray context, State state) {}

    private Recurrence recur(ParameterStore ps, State state, NDArray words, boolean training) {
        if (config.attendsAfterCell()) {
            NDList next = cell.step(ps, words, state.cell(), training);
            NDArray h = cell.output(next); // (B, H)
            Attended attended = attention.attend(ps, state.grid(), state.projected(), h, !training); // (B, D), (B, L)
            return new Recurrence(h, attended.alpha(), attended.context(), new State(next, state.grid(), state.projected()));
        }
        NDArray x = words;
        NDArray alpha = null;
        NDArray z = null;
        if (config.attention()) {
            NDArray hPrev = cell.output(state.cell()); // (B, H)
            Attended attended = attention.attend(ps, state.grid(), state.projected(), hPrev, !training); // (B, D), (B, L)
            z = gate.apply(ps, hPrev, attended.context()); // (B, D)
            alpha = attended.alpha();
            x = words.concat(z, 1); // (B, E + D)
        }
        NDList next = cell.step(ps, x, state.cell(), training);
        return new Recurrence(cell.output(next), alpha, z, new State(next, state.grid(), state.projected()));
    }

    /**
     * logits = W_o dropout(h) + b_o, or with the deep output W_o dropout(E y_{t-1} + L_h h + L_z z) + b_o;
     * for one step (B, ·) or all steps (B, T, ·) at once.
     *
     * @param words the embedded previous words E y_{t-1}, (B, E) or (B, T, E)
     * @param context z_t, (B, D) or (B, T, D); null for the plain decoder
     */
    private NDArray outputLayer(ParameterStore ps, NDArray hidden, NDArray words, NDArray context, boolean training) {
        NDArray top = hidden;
        if (contextToHidden != null) {
            top = hidden.add(linear(ps, contextToHidden, context, training)); // h_t + W_z c_t, (…, H)
        }
        if (deepH != null) {
            top = words.add(linear(ps, deepH, hidden, training)); // (…, E)
            if (deepZ != null) {
                top = top.add(linear(ps, deepZ, context, training));
            }
        }
        NDArray dropped = config.dropout() > 0 ? Dropout.dropout(top, config.dropout(), training).head() : top;
        if (!training && dropped.getShape().dimension() == 2) {
            return transposedOutput(ps, dropped);
        }
        return linear(ps, output, dropped, training);
    }

    /** The logits of one inference step, (R, V): see {@link WeightLeftProduct} for why. */
    private NDArray transposedOutput(ParameterStore ps, NDArray top) {
        Device device = top.getDevice();
        return WeightLeftProduct.apply(top, ps.getValue(output.getParameters().get("weight"), device, false), // (V, H)
                ps.getValue(output.getParameters().get("bias"), device, false)); // (R, V)
    }

    /** The whole teacher-forced sequence through libtorch's fused recurrent op: (B, T, E) to (B, T, H). */
    private NDArray fusedSequence(ParameterStore ps, NDArray embedded, State state, boolean training) {
        NDList weights = new NDList();
        NDList hs = new NDList();
        NDList cs = new NDList();
        int perLayer = config.cell().stateCount();
        for (int layer = 0; layer < config.layers(); layer++) {
            FusedGateCell layerCell = (FusedGateCell) cell.layers().get(layer);
            weights.add(ps.getValue(layerCell.weightIh(), embedded.getDevice(), training));
            weights.add(ps.getValue(layerCell.weightHh(), embedded.getDevice(), training));
            weights.add(ps.getValue(layerCell.biasIh(), embedded.getDevice(), training));
            weights.add(ps.getValue(layerCell.biasHh(), embedded.getDevice(), training));
            hs.add(state.cell().get(layer * perLayer));
            if (perLayer == 2) {
                cs.add(state.cell().get(layer * perLayer + 1));
            }
        }
        NDArray h0 = NDArrays.stack(hs, 0); // (layers, B, H)
        float between = config.layers() > 1 ? config.dropout() : 0f;
        if (config.cell().stateCount() == 2) {
            NDArray c0 = NDArrays.stack(cs, 0); // (layers, B, H)
            return embedded.getNDArrayInternal().lstm(embedded, new NDList(h0, c0), weights, true, config.layers(), between,
                    training, false, true).head(); // (B, T, H)
        }
        return embedded.getNDArrayInternal().gru(embedded, h0, weights, true, config.layers(), between, training, false, true)
                .head(); // (B, T, H)
    }

    private static boolean needsOwnWords(boolean[][] feedTruth, int step) {
        for (boolean[] row : feedTruth) {
            if (!row[step]) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Unrolled out = unroll(ps, inputs.get(0), inputs.get(1), inputs.get(2), null, SamplingMode.ARGMAX, null, training);
        return new NDList(out.logits(), out.alphas());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape grid = inputShapes[0];
        Shape ids = inputShapes[2];
        long locations = config.attention() ? grid.get(1) : 0;
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabularySize()), new Shape(ids.get(0), ids.get(1), locations)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[1].get(0);
        Shape pooled = new Shape(b, config.featureSize());
        if (initH != null) {
            initH.initialize(manager, dataType, pooled);
        }
        if (initC != null) {
            initC.initialize(manager, dataType, pooled);
        }
        Shape hidden = new Shape(b, config.hiddenSize());
        Shape[] cellInputs = new Shape[1 + cell.stateCount()];
        cellInputs[0] = new Shape(b, config.cellInputSize());
        for (int i = 1; i < cellInputs.length; i++) {
            cellInputs[i] = hidden;
        }
        cell.initialize(manager, dataType, cellInputs);
        if (attention != null) {
            attention.initialize(manager, dataType, inputShapes[0], hidden);
            if (gate != null) {
                gate.initialize(manager, dataType, hidden, new Shape(b, config.featureSize()));
            }
        }
        if (contextToHidden != null) {
            contextToHidden.initialize(manager, dataType, new Shape(b, config.featureSize()));
        }
        if (deepH != null) {
            deepH.initialize(manager, dataType, hidden);
            if (deepZ != null) {
                deepZ.initialize(manager, dataType, new Shape(b, config.featureSize()));
            }
        }
        output.initialize(manager, dataType, deepH != null ? new Shape(b, config.embeddingSize()) : hidden);
    }

    private void checkFeatures(NDArray grid, NDArray pooled) {
        ShapeCheck.require("CaptionDecoder", "pooled", pooled, new String[] {"B", "D"}, ShapeCheck.ANY, config.featureSize());
        if (config.attention()) {
            if (grid == null) {
                throw new IllegalArgumentException("CaptionDecoder: the attention decoder needs the grid (B, L, D)");
            }
            ShapeCheck.require("CaptionDecoder", "grid", grid, new String[] {"B", "L", "D"}, pooled.getShape().get(0),
                    ShapeCheck.ANY, config.featureSize());
        }
    }

    private static NDArray linear(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).head();
    }
}
