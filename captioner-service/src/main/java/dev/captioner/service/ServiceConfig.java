package dev.captioner.service;

import java.time.Duration;

/**
 * How the service listens, batches and limits its requests. Immutable; {@link #builder()} has the defaults.
 *
 * @param host           the address to bind (127.0.0.1: this machine only)
 * @param port           the TCP port; 0 picks a free one
 * @param maxBatch       requests encoded and searched together at most
 * @param maxWait        how long the first request of a batch waits for others to join it
 * @param queueCapacity  requests waiting at most; past it the answer is 503 with Retry-After
 * @param requestTimeout the longest a request waits for its captions, queue included; past it 503
 * @param maxUploadBytes the largest image accepted, in bytes (413 past it)
 * @param maxPixels      the largest image accepted, in pixels, read from its header before decoding (413 past it)
 * @param workers        batches captioned at once, each by its own thread over the one loaded model
 * @param threads        libtorch's intra-op threads, shared out among the workers that are busy
 */
public record ServiceConfig(String host, int port, int maxBatch, Duration maxWait, int queueCapacity, Duration requestTimeout,
        long maxUploadBytes, long maxPixels, int workers, int threads) {

    public ServiceConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
        }
        if (maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("the batch size and the queue capacity must be at least 1, got " + maxBatch + " and "
                    + queueCapacity);
        }
        if (maxWait.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the batch wait must be at least 0 and the request timeout positive");
        }
        if (workers < 1 || threads < 1) {
            throw new IllegalArgumentException("the workers and threads must be at least 1, got " + workers + " and " + threads);
        }
        if (maxUploadBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("the upload and pixel limits must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link ServiceConfig}: 127.0.0.1:8080, batches of up to 16 after up to 10 ms, 64 queued, 30 s, 16 MB, 40 MP;
     * as many workers as cores, at most 2, and libtorch's threads one a core.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxBatch = 16;
        private Duration maxWait = Duration.ofMillis(10);
        private int queueCapacity = 64;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private long maxUploadBytes = 16L << 20;
        private long maxPixels = 40_000_000L;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int workers = Math.min(2, threads);

        Builder() {}

        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Dynamic batching: at most {@code maxBatch} requests together, the first waiting at most {@code maxWait} for others. */
        public Builder optBatching(int maxBatch, Duration maxWait) {
            this.maxBatch = maxBatch;
            this.maxWait = maxWait;
            return this;
        }

        public Builder optQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder optRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** The largest upload in bytes and the largest image in pixels. */
        public Builder optLimits(long maxUploadBytes, long maxPixels) {
            this.maxUploadBytes = maxUploadBytes;
            this.maxPixels = maxPixels;
            return this;
        }

        /** Batches captioned at once, each by its own worker thread. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** libtorch's intra-op threads, shared out among the busy workers. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public ServiceConfig build() {
            return new ServiceConfig(host, port, maxBatch, maxWait, queueCapacity, requestTimeout, maxUploadBytes, maxPixels, workers,
                    threads);
        }
    }
}
