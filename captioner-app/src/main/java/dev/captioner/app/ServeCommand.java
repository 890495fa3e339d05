package dev.captioner.app;

import dev.captioner.pipeline.model.Captioner;
import dev.captioner.service.CaptionService;
import dev.captioner.service.ServiceConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import sun.misc.Signal;

/**
 * {@code captioner serve}: loads a model (or an ensemble) once and answers captioning requests over HTTP with
 * dynamic batching ({@link CaptionService}) until SIGTERM or SIGINT, then stops taking requests, finishes those in
 * flight and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = "Serve a model over HTTP: POST /v1/captions, GET /v1/model, GET /health, GET /openapi.json, and a page at /"
                + " to try it. Requests that arrive together are batched. Stops cleanly on SIGTERM or Ctrl-C. See docs/serve.md.")
final class ServeCommand extends BaseCommand {
    @Option(names = "--model", paramLabel = "PKG",
            description = "A model package folder or zip (default: the bundled synth-att-lstm). Give it again for an ensemble.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "The address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "The TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "16", paramLabel = "N", description = "Requests captioned together at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", paramLabel = "MS",
            description = "How long a request waits for others to join its batch (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--workers", paramLabel = "N",
            description = "Batches captioned at once, each on its own thread over the one loaded model (default: the cores, at most 2).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch's intra-op threads, shared out among the busy workers (default: one a core).")
    Integer threads;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N",
            description = "Requests waiting at most; past it the answer is 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "S", description = "Seconds a request may take, queue included (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--max-upload-mb", defaultValue = "16", paramLabel = "MB", description = "The largest upload (default: ${DEFAULT-VALUE}).")
    long maxUploadMb;

    @Option(names = "--max-megapixels", defaultValue = "40", paramLabel = "MP", description = "The largest image, by its header (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    protected int run() throws Exception {
        ServiceConfig config;
        try {
            ServiceConfig.Builder builder = ServiceConfig.builder();
            if (workers != null) {
                builder.optWorkers(workers);
            }
            if (threads != null) {
                builder.optThreads(threads);
            }
            config = builder.optHost(host).optPort(port).optBatching(maxBatch, Duration.ofMillis(maxWaitMs))
                    .optQueueCapacity(queue).optRequestTimeout(Duration.ofSeconds(timeoutSeconds))
                    .optLimits(maxUploadMb << 20, (long) (maxMegapixels * 1e6)).build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Path> packages = models.isEmpty() ? List.of(BundledModel.locate()) : models;
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try (Captioner captioner = Captioner.load(packages, Captioner.Options.builder().optBatchSize(config.maxBatch())
                .optDevice(device.device(spec)).build())) {
            CaptionService service = new CaptionService(captioner, config);
            int bound;
            try {
                bound = service.start();
            } catch (RuntimeException e) {
                service.stop(Duration.ZERO);
                throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + rootMessage(e) + ")");
            }
            out.printf("serving %s on http://%s:%d/ (batches of up to %d, %d ms wait, queue %d, %d workers sharing %d threads);"
                    + " Ctrl-C or SIGTERM stops%n",
                    models.isEmpty() ? BundledModel.LABEL : String.join(" + ", models.stream().map(Path::toString).toList()), host, bound,
                    config.maxBatch(), config.maxWait().toMillis(), config.queueCapacity(), config.workers(), config.threads());
            out.flush();
            stop.await();
            out.println("stopping: finishing the requests in flight");
            out.flush();
            service.stop(config.requestTimeout());
            var stats = service.stats();
            out.printf("stopped; images captioned: %d, batches: %d, largest batch: %d%n", stats.images(), stats.batches(), stats.largestBatch());
        }
        return ExitCode.OK;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
