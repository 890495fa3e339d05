package dev.captioner.decoder.cell;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times 100 recurrent steps at B=32, X=1024, H=512 (the attention decoder's cell: X = E + D): the
 * hand-written {@link LstmCell} and {@link GruCell} against DJL's fused {@link LSTM} and {@link GRU}
 * blocks called with T=1 per step, as a decoder that needs h_{t-1} before x_t must call them. Two
 * modes: inference (forward only) and training (100 steps forward under a GradientCollector, then one
 * backward through all of them). Prints the median ms per step over 5 rounds, after 1 warm-up round.
 * Not a unit test (surefire runs only {@code *Test}).
 *
 * <p>On a machine shared with other work, add {@code -Dai.djl.pytorch.num_threads=1}: with libtorch's
 * 2 OpenMP threads competing with another process for 2 cores, every op waits on its slowest thread
 * (measured: 34 ms per LSTM step instead of 4.2). From the repository root:
 *
 * <pre>{@code
 * mvn -B -q -o -pl decoder test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -Dai.djl.offline=true \
 *     -cp decoder/target/test-classes:decoder/target/classes:$(cat decoder/target/test-classpath.txt) \
 *     -Dai.djl.pytorch.num_threads=1 dev.captioner.decoder.cell.LstmCellBenchmark [steps [rounds]]
 * }</pre>
 */
public final class LstmCellBenchmark {

    private static final int B = 32;
    private static final int X = 1024;
    private static final int H = 512;

    private LstmCellBenchmark() {}

    /** One way of running a step: from (x (B, X), state) to the new state. */
    private interface Stepper {
        NDList step(NDArray x, NDList state, boolean training);
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "%s %s, %d steps, B=%d X=%d H=%d, load average %.2f%n",
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), steps, B, X, H,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            NDArray xs = manager.randomUniform(0, 1, new Shape(steps, B, X)); // (T, B, X)
            ParameterStore ps = new ParameterStore(manager, false);
            for (CellType type : CellType.values()) {
                RecurrentCell cell = type.create(X, H);
                cell.initialize(manager, DataType.FLOAT32, new Shape(B, X));
                RecurrentBlock fused = type == CellType.LSTM
                        ? LSTM.builder().setStateSize(H).setNumLayers(1).optReturnState(true).build()
                        : GRU.builder().setStateSize(H).setNumLayers(1).optReturnState(true).build();
                fused.initialize(manager, DataType.FLOAT32, new Shape(B, 1, X));
                Stepper handWritten = (x, state, training) -> cell.step(ps, x, state, training);
                Stepper fusedT1 = (x, state, training) -> {
                    NDList in = new NDList(x.expandDims(1)); // (B, 1, X); the state stays (1, B, H)
                    in.addAll(state);
                    NDList out = fused.forward(ps, in, training); // (B, 1, H), then (1, B, H) each
                    return new NDList(out.subList(1, out.size()));
                };
                for (boolean training : new boolean[] {false, true}) {
                    double mine = time(manager, xs, handWritten, type, false, training, steps, rounds);
                    double theirs = time(manager, xs, fusedT1, type, true, training, steps, rounds);
                    System.out.printf(Locale.ROOT,
                            "%s %-9s hand-written %6.3f ms/step   DJL fused T=1 %6.3f ms/step   (fused / hand %.2fx)%n",
                            type, training ? "training" : "inference", mine, theirs, theirs / mine);
                }
            }
        }
    }

    /** Median ms per step over the rounds (after one warm-up round). */
    private static double time(
            NDManager manager, NDArray xs, Stepper stepper, CellType type, boolean layered, boolean training,
            int steps, int rounds) {
        double[] perStep = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            long start = System.nanoTime();
            try (NDManager round = manager.newSubManager()) {
                Shape stateShape = layered ? new Shape(1, B, H) : new Shape(B, H);
                NDList state = new NDList();
                for (int s = 0; s < type.stateCount(); s++) {
                    state.add(round.zeros(stateShape));
                }
                if (training) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        state = run(round, xs, stepper, state, true, steps);
                        collector.backward(state.get(0).sum());
                    }
                } else {
                    run(round, xs, stepper, state, false, steps);
                }
            }
            if (r >= 0) {
                perStep[r] = (System.nanoTime() - start) / 1e6 / steps;
            }
        }
        Arrays.sort(perStep);
        return perStep[rounds / 2];
    }

    private static NDList run(NDManager round, NDArray xs, Stepper stepper, NDList state, boolean training, int steps) {
        for (int t = 0; t < steps; t++) {
            NDArray x = xs.get(t); // (B, X)
            x.attach(round); // results land in x's manager: the round's
            state = stepper.step(x, state, training);
        }
        return state;
    }
}
