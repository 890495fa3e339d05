package dev.captioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.pipeline.bench.Timings;
import dev.captioner.pipeline.bench.Workload;
import dev.captioner.pipeline.bench.Workloads;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Runs one benchmark workload and prints, last, one line of JSON in the result contract of
 * {@code shared/bench/README.md}: 3 warm-up iterations, then timed iterations each timed on its own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run one benchmark workload; the last line printed is its JSON result.")
final class BenchCommand extends BaseCommand {
    static final String IMPL = "captioner-djl-0.35.0-pytorch-2.7.1-cpu";

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "The workload to run (see the list below).")
    String workload;

    @Option(names = "--iters", description = "Timed iterations (default: the workload's own count).")
    Integer iterations;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    protected int run() throws Exception {
        // The shared benchmark's rule: at most 2 compute threads, set by the command itself.
        System.setProperty("ai.djl.pytorch.num_threads", "2");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        PrintWriter out = spec.commandLine().getOut();
        Workload work = Workloads.create(workload);
        if (work == null) {
            throw new ParameterException(spec.commandLine(), "unknown workload '" + workload + "'; known: "
                    + String.join(", ", Workloads.names()));
        }
        if (iterations != null && iterations < 1) {
            throw new ParameterException(spec.commandLine(), "--iters must be at least 1");
        }
        int timed = iterations != null ? iterations : work.defaultIterations();
        try (work) {
            out.println("# " + work.name() + ": " + work.description());
            work.prepare();
            for (int i = 0; i < warmup; i++) {
                long start = System.nanoTime();
                work.iterate();
                out.printf("# warmup %d: %.1f ms%n", i, (System.nanoTime() - start) / 1e6);
            }
            double[] ms = new double[timed];
            for (int i = 0; i < timed; i++) {
                long start = System.nanoTime();
                work.iterate();
                ms[i] = (System.nanoTime() - start) / 1e6;
                out.printf("# iter %d: %.1f ms%n", i, ms[i]);
            }
            out.println(new ObjectMapper().writeValueAsString(result(work, warmup, ms)));
        }
        return ExitCode.OK;
    }

    static Map<String, Object> result(Workload work, int warmup, double[] ms) {
        Timings t = new Timings(ms);
        double median = t.median();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("workload", work.name());
        r.put("impl", IMPL);
        r.put("median_ms", round3(median));
        r.put("p10_ms", round3(t.quantile(0.1)));
        r.put("p90_ms", round3(t.quantile(0.9)));
        r.put("tokens_per_s", work.tokensPerIteration() > 0 ? round3(work.tokensPerIteration() / (median / 1e3)) : null);
        r.put("images_per_s", work.imagesPerIteration() > 0 ? round3(work.imagesPerIteration() / (median / 1e3)) : null);
        r.put("gflop_per_iter", work.gflopPerIteration());
        r.put("achieved_gflop_s", work.gflopPerIteration() > 0 ? round3(work.gflopPerIteration() / (median / 1e3)) : null);
        if (work.name().startsWith("peak-matmul")) {
            r.put("gflop_s", round3(work.gflopPerIteration() / (median / 1e3)));
        }
        r.put("ms_per_image", work.imagesPerIteration() > 0 ? round3(median / work.imagesPerIteration()) : null);
        r.put("images_per_iter", work.imagesPerIteration() > 0 ? work.imagesPerIteration() : null);
        r.put("warmup", warmup);
        r.put("iters", ms.length);
        double[] rounded = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            rounded[i] = Math.round(ms[i] * 10) / 10.0;
        }
        r.put("iter_ms", rounded);
        r.put("threads", 2);
        r.putAll(work.extraFigures());
        return r;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
