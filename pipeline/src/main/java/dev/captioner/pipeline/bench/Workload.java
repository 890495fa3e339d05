package dev.captioner.pipeline.bench;

/**
 * One benchmark workload: set up once (untimed), then run iteration by iteration, each timed on its own.
 * The result contract is that of {@code shared/bench/README.md}.
 */
public interface Workload extends AutoCloseable {
    /** The workload's name, as given on the command line. */
    String name();

    /** One line on what an iteration is. */
    String description();

    /** Builds inputs and models; not timed. */
    void prepare() throws Exception;

    /** Runs exactly one iteration. */
    void iterate() throws Exception;

    /** Timed iterations by default. */
    default int defaultIterations() {
        return 20;
    }

    /** Images per iteration, or 0 where the workload is not counted in images. */
    default int imagesPerIteration() {
        return 0;
    }

    /** Training tokens per iteration, or 0 where it is not a training workload. */
    default int tokensPerIteration() {
        return 0;
    }

    /** The analytic GFLOP of one iteration, or 0 where none is defined. */
    default double gflopPerIteration() {
        return 0;
    }

    /** Extra figures for the result line, measured during {@link #prepare} or the iterations. */
    default java.util.Map<String, Object> extraFigures() {
        return java.util.Map.of();
    }

    @Override
    default void close() throws Exception {}
}
