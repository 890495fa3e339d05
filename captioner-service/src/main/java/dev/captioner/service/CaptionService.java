package dev.captioner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageDecoder;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import dev.captioner.pipeline.model.EncoderInfo;
import dev.captioner.pipeline.report.AttentionMaps;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.Mat;

/**
 * The captioning HTTP service: one {@link Captioner} (a model or an ensemble) loaded once, shared by every request
 * through a {@link DynamicBatcher}, behind a small JSON API and a web page (docs/serve.md):
 * <pre>
 *   POST /v1/captions   an image (raw body, or the "image" field of a multipart form); options beam, n_best,
 *                       max_length, attention as query parameters or form fields; answers {@link CaptionAnswer}
 *   GET  /v1/model      the package's configuration, vocabulary size and the service's limits
 *   GET  /health        liveness and readiness (503 once stopping)
 *   GET  /openapi.json  the OpenAPI 3 description of the above
 *   GET  /              the page to try the model: drop an image, see its captions and per-word maps
 * </pre>
 * Every error is a status with {@code {"error": "one line"}}; no stack trace reaches a client. {@link #stop}
 * refuses new requests (503), lets those in flight finish, then closes the server.
 */
public final class CaptionService implements AutoCloseable {
    private static final String WEB = "/dev/captioner/service/web";
    private static final List<String> RAW_TYPES = List.of("image/", "application/octet-stream");

    private final Captioner captioner;
    private final ServiceConfig config;
    private final DynamicBatcher batcher;
    private final ImageDecoder limits;
    private final AttentionMaps maps = AttentionMaps.builder().build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests received and not yet queued (reading the upload, checking it): what a batch may wait for. */
    private final AtomicInteger arriving = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean stopping;
    private Javalin app;

    /** A service over {@code captioner}, which it does not close. Call {@link #start()}. */
    public CaptionService(Captioner captioner, ServiceConfig config) {
        this.captioner = captioner;
        this.config = config;
        this.batcher = new DynamicBatcher(captioner, config, arriving::get);
        this.limits = ImageDecoder.builder().optMaxFileBytes(config.maxUploadBytes()).optMaxPixels(config.maxPixels()).build();
    }

    /** Binds the host and port and starts answering; returns the port bound (a free one where the config says 0). */
    public int start() {
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = config.maxUploadBytes();
            c.http.prefer405over404 = true;
            c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes() + 64 * 1024, SizeUnit.BYTES);
            c.jsonMapper(new JavalinJackson(json, false));
            c.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB;
                files.location = Location.CLASSPATH;
            });
        });
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "no-store");
        });
        app.post("/v1/captions", this::caption);
        app.get("/v1/model", this::model);
        app.get("/health", this::health);
        app.exception(ServiceError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.retryAfterSeconds()));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), oneLine(e.getMessage()), null));
        app.exception(Exception.class, (e, ctx) -> {
            System.err.println("captioner serve: " + ctx.method() + " " + ctx.path() + " failed: " + e); // the server's log
            error(ctx, 500, "internal error while answering; the server's log has the cause", null);
        });
        app.error(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path() + " (see /openapi.json)", null));
        app.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path(), null));
        app.start(config.host(), config.port());
        return app.port();
    }

    /** The port bound. */
    public int port() {
        return app.port();
    }

    /** What the batcher has done: batches, images, the largest batch. */
    public DynamicBatcher.Stats stats() {
        return batcher.stats();
    }

    /**
     * Stops taking requests (new ones get 503), waits up to {@code grace} for those in flight to be answered,
     * then stops the server and the batcher. The captioner stays open: its owner closes it.
     */
    public void stop(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (app != null) {
            app.stop();
        }
        batcher.close();
    }

    @Override
    public void close() {
        stop(config.requestTimeout());
    }

    private void caption(Context ctx) throws IOException {
        inFlight.incrementAndGet();
        arriving.incrementAndGet();
        boolean queued = false;
        try {
            if (stopping) {
                throw ServiceError.unavailable("the service is stopping", 5);
            }
            long started = System.nanoTime();
            long id = requests.incrementAndGet();
            SearchRequest search = SearchRequest.parse(name -> parameter(ctx, name));
            ImageInput image = upload(ctx, id);
            checkHeader(image);
            CompletableFuture<CaptionResult> pending;
            try {
                pending = batcher.submit(image, search);
            } finally {
                arriving.decrementAndGet();
                queued = true;
            }
            CaptionResult result = await(pending);
            CropRegion crop = null;
            List<byte[]> pictures = null;
            EncoderInfo encoder = captioner.model().config().encoder();
            if (search.attention() && captioner.attends()) {
                Mat rgb = captioner.preprocessor().decoder().decode(image.bytes(), image.name());
                try {
                    crop = captioner.preprocessor().cropRegion(rgb.cols(), rgb.rows());
                    pictures = maps.wordPngs(rgb, crop, result.best());
                } finally {
                    rgb.release();
                }
            }
            ObjectNode answer = CaptionAnswer.of(json, result, search.attention(), encoder.gridRows(), encoder.gridCols(), crop, pictures,
                    (System.nanoTime() - started) / 1e6);
            ctx.json(answer);
        } catch (Error e) { // Javalin answers an Error with an empty 500; give it the one-line JSON of any other failure
            throw new IllegalStateException("captioning failed: " + e, e);
        } finally {
            if (!queued) {
                arriving.decrementAndGet();
            }
            inFlight.decrementAndGet();
        }
    }

    /** The image of the request: the "image" file of a multipart form, or the whole body of an image/* or octet-stream request. */
    private ImageInput upload(Context ctx, long id) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxUploadBytes() + (ctx.isMultipartFormData() ? 64 * 1024 : 0)) {
            throw ServiceError.tooLarge("upload too large (" + declared + " bytes, limit " + config.maxUploadBytes() + ")");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (ctx.isMultipartFormData()) {
            UploadedFile file;
            try {
                file = ctx.uploadedFile("image");
            } catch (IllegalStateException e) { // Jetty's multipart parser: over the size limit, or a broken form
                String message = String.valueOf(e.getMessage());
                throw message.contains("exceeds") ? ServiceError.tooLarge("upload too large (limit " + config.maxUploadBytes() + " bytes)")
                        : ServiceError.badRequest("unreadable multipart form: " + oneLine(message));
            }
            if (file == null) {
                throw ServiceError.badRequest("the multipart form has no 'image' file field");
            }
            try (InputStream in = file.content()) {
                return named(file.filename(), id, in.readAllBytes());
            }
        }
        if (RAW_TYPES.stream().noneMatch(type::startsWith)) {
            throw ServiceError.unsupportedMediaType("content type '" + (type.isEmpty() ? "none" : type) + "' is not an image: send image/*,"
                    + " application/octet-stream, or a multipart form with an 'image' field");
        }
        return named(null, id, ctx.bodyAsBytes());
    }

    private static ImageInput named(String filename, long id, byte[] bytes) {
        if (bytes.length == 0) {
            throw ServiceError.badRequest("empty upload: send the image as the request body or as the 'image' field of a multipart form");
        }
        String name = filename == null || filename.isBlank() ? "upload " + id : oneLine(filename);
        return ImageInput.of(name, bytes);
    }

    /** The size limits and completeness, from the header, before the request queues. */
    private void checkHeader(ImageInput image) {
        try {
            limits.readHeader(image.bytes(), image.name());
        } catch (ImageDecodeException e) {
            throw e.kind() == ImageDecodeException.Kind.TOO_LARGE ? ServiceError.tooLarge(e.getMessage())
                    : ServiceError.unprocessable(e.getMessage());
        }
    }

    /** The captions, within the request timeout (queue included); a request that runs out is dropped from its batch. */
    private CaptionResult await(CompletableFuture<CaptionResult> pending) {
        try {
            return pending.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false);
            throw ServiceError.unavailable("no answer within the request timeout of " + config.requestTimeout().toSeconds()
                    + " s; the service is busy, try again", 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceError.unavailable("the service is stopping", 5);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceError error) {
                throw error;
            }
            throw new IllegalStateException("captioning failed", e.getCause());
        }
    }

    private void model(Context ctx) {
        ObjectNode answer = json.createObjectNode();
        var model = captioner.model();
        answer.put("decoder_type", model.config().decoder().kind());
        answer.put("members", captioner.members().size());
        answer.put("vocabulary_size", model.vocabulary().size());
        answer.put("attends", captioner.attends());
        answer.set("encoder", json.valueToTree(model.config().encoder()));
        answer.set("decoder", json.valueToTree(model.config().decoder()));
        ObjectNode defaults = answer.putObject("defaults");
        defaults.put("beam", SearchRequest.DEFAULT.beam());
        defaults.put("n_best", SearchRequest.DEFAULT.nBest());
        defaults.put("max_length", SearchRequest.DEFAULT.maxLength());
        ObjectNode limits = answer.putObject("limits");
        limits.put("max_beam", SearchRequest.MAX_BEAM);
        limits.put("max_length", SearchRequest.MAX_LENGTH);
        limits.put("max_upload_bytes", config.maxUploadBytes());
        limits.put("max_pixels", config.maxPixels());
        limits.put("max_batch", config.maxBatch());
        limits.put("max_wait_ms", config.maxWait().toMillis());
        limits.put("queue_capacity", config.queueCapacity());
        limits.put("request_timeout_s", config.requestTimeout().toSeconds());
        ctx.json(answer);
    }

    private void health(Context ctx) {
        boolean ready = !stopping && batcher.isAlive();
        DynamicBatcher.Stats stats = batcher.stats();
        ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ok" : "stopping", "ready", ready, "queued", batcher.queued(),
                "in_flight", inFlight.get(), "batches", stats.batches(), "images", stats.images(), "largest_batch", stats.largestBatch()));
    }

    /** A request option: the query parameter, else the multipart form field. */
    private static String parameter(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null && ctx.isMultipartFormData()) {
            value = ctx.formParam(name);
        }
        return value;
    }

    private void error(Context ctx, int status, String message, Integer retryAfter) {
        if (retryAfter != null) {
            ctx.header("Retry-After", String.valueOf(retryAfter));
        }
        ctx.status(status).contentType("application/json").result(json.createObjectNode().put("error", oneLine(message)).toString());
    }

    private static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "error";
        }
        return message.strip().lines().findFirst().orElse("error").replaceAll("\\s+", " ");
    }
}
