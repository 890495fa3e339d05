package dev.captioner.app;

import dev.captioner.data.FileTrees;
import dev.captioner.pipeline.Comparison;
import dev.captioner.pipeline.compare.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code captioner compare --jobs N}: N worker processes train the comparison's runs at once, each with one
 * libtorch thread. A process of its own per run is needed because a JVM holds one gradient collector at a
 * time (DJL); one thread each because two processes of libtorch's default thread count fight over the cores.
 *
 * <p>Workers share the run list and take the next run not yet claimed: a claim is a file in
 * {@code OUT/claims/}, made atomically, so the slower kinds of run spread themselves over the workers. Each
 * worker writes to {@code OUT/logs/worker-K.log}. The parent prints a plain line each time a run finishes,
 * then writes the report once all have.
 */
final class CompareWorkers {
        static final String LOGS = "logs";
    private static final long REPORT_EVERY_MS = 30_000;

    private final Path out;
    private final int jobs;
    private final List<String> arguments;
    private final List<Path> pending;
    private final PrintWriter stdout;

    /**
     * @param arguments the captioner command line of a worker ({@code compare ...}, the step count fixed, {@code --worker})
     * @param pending   the run folders still to do
     */
    CompareWorkers(Path out, int jobs, List<String> arguments, List<Path> pending, PrintWriter stdout) {
        this.out = out;
        this.jobs = jobs;
        this.arguments = arguments;
        this.pending = pending;
        this.stdout = stdout;
    }

    /** Starts the workers, reports as runs finish, and waits for all; fails with one line if a worker does. */
    void run() throws IOException, InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        FileTrees.delete(out.resolve(Comparison.CLAIMS)); // claims of an earlier, interrupted invocation
        Files.createDirectories(out.resolve(LOGS));
        int count = Math.min(jobs, pending.size());
        stdout.printf(Locale.ROOT, "training %d runs in %d worker processes of one thread each; logs in %s%n", pending.size(), count,
                out.resolve(LOGS));
        stdout.flush();
        List<Process> workers = new CopyOnWriteArrayList<>();
        // Stopping this process (Ctrl-C, kill) stops its workers too, rather than leaving them training unseen;
        // the runs they cut short resume from their last epoch on the next invocation.
        Thread stopWorkers = new Thread(() -> workers.forEach(Process::destroy), "compare-stop-workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
        try {
            for (int k = 0; k < count; k++) {
                workers.add(start(k));
            }
            long started = System.nanoTime();
            int reported = 0;
            while (workers.stream().anyMatch(Process::isAlive)) {
                workers.get(0).waitFor(REPORT_EVERY_MS, TimeUnit.MILLISECONDS);
                for (Process w : workers) {
                    w.waitFor(1, TimeUnit.MILLISECONDS);
                }
                int done = (int) pending.stream().filter(RunResult::exists).count();
                if (done > reported) {
                    double minutes = (System.nanoTime() - started) / 60e9;
                    stdout.printf(Locale.ROOT, "compare: %d of %d runs done after %.1f min, about %.0f min to go%n", done, pending.size(),
                            minutes, minutes / done * (pending.size() - done));
                    stdout.flush();
                    reported = done;
                }
            }
        } finally {
            for (Process w : workers) {
                w.destroy(); // only alive when this thread was interrupted or failed
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopWorkers);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
        for (int k = 0; k < workers.size(); k++) {
            if (workers.get(k).exitValue() != 0) {
                throw new IllegalStateException("compare worker " + k + " failed with exit code " + workers.get(k).exitValue()
                        + "; see " + log(k) + ". Run the same command again to continue");
            }
        }
    }

    private Process start(int k) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CaptionerCli.class.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(k).toFile()));
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("MKL_NUM_THREADS", "1");
        return builder.start();
    }

    private Path log(int k) {
        return out.resolve(LOGS).resolve("worker-" + k + ".log");
    }
}
