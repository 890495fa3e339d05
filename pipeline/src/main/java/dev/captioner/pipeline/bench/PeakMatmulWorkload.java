package dev.captioner.pipeline.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A 2048 x 2048 float32 matrix product through DJL's PyTorch engine: the practical ceiling that the
 * other workloads' achieved GFLOP/s are a fraction of ({@code peak-matmul-2048} of shared/bench).
 */
final class PeakMatmulWorkload implements Workload {
    private static final int N = 2048;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Override
    public String name() {
        return "peak-matmul-2048";
    }

    @Override
    public String description() {
        return "one 2048 x 2048 float32 matrix product (the matmul ceiling)";
    }

    @Override
    public double gflopPerIteration() {
        return 2.0 * N * N * N / 1e9;
    }

    @Override
    public void prepare() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(0);
        a = manager.randomNormal(new Shape(N, N));
        b = manager.randomNormal(new Shape(N, N));
    }

    @Override
    public void iterate() {
        try (NDManager step = manager.newSubManager()) {
            NDArray c = a.matMul(b); // (N, N)
            c.attach(step);
            c.getFloat(0, 0); // forces the product to finish before the clock stops
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
