package dev.captioner.service;

import ai.djl.pytorch.jni.JniUtils;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.pipeline.model.CaptionBatch;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Dynamic batching, as DJL Serving and TorchServe do it: requests that arrive close together are encoded and
 * searched as one batch. Each worker thread owns a {@link Captioner} over the one loaded model (the first is the
 * service's, the others {@link Captioner#sharedCopy() share its weights}): it takes the first waiting request, lets
 * others join it for at most {@code maxWait} or until {@code maxBatch} have, then captions them together, one
 * {@link Captioner#captionInputs} call per distinct search among them. It waits only while more requests are on
 * their way ({@code arriving}: received by the server, not yet queued), so a lone request pays no wait.
 *
 * <p>Several workers: a batch spends part of its time in Java (decoding images, the search's bookkeeping) where one
 * libtorch call would leave a core idle; two batches at once keep both busy. libtorch keeps its intra-op thread count
 * per thread (OpenMP's), so each worker sets its own before each batch: all {@code threads} when it is the only one
 * busy (a lone request is as fast as with one worker), an equal share when others are (no oversubscription).
 *
 * <p>The queue is bounded: a request that finds it full is refused at once ({@link ServiceError#unavailable}),
 * never left to wait without end. A request whose client stopped waiting (its future cancelled) is dropped
 * before its batch runs. {@link #close()} stops taking requests and finishes those queued.
 */
public final class DynamicBatcher implements AutoCloseable {
    /** How often a waiting batch looks again whether requests are still on their way. */
    private static final long POLL_NANOS = 250_000;

    private final List<Captioner> copies = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final int threads;
    private final AtomicInteger busy = new AtomicInteger();
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private volatile boolean accepting = true;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong captioned = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();

    /** A request in the queue. */
    private record Pending(ImageInput image, SearchRequest search, CompletableFuture<CaptionResult> result) {}

    private final IntSupplier arriving;

    /**
     * @param arriving how many requests the server has received and not yet queued; the batch waits for others only
     *                 while this is above 0
     */
    public DynamicBatcher(Captioner captioner, ServiceConfig config, IntSupplier arriving) {
        this.arriving = arriving;
        this.maxBatch = config.maxBatch();
        this.maxWaitNanos = config.maxWait().toNanos();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.threads = config.threads();
        for (int i = 0; i < config.workers(); i++) {
            Captioner own = i == 0 ? captioner : captioner.sharedCopy();
            copies.add(own);
            Thread worker = new Thread(() -> run(own), "captioner-batcher-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues one image; the future completes with its captions, or fails with a {@link ServiceError} (the image
     * cannot be read: 413 or 422; anything else: 500).
     *
     * @throws ServiceError 503 where the queue is full or the batcher is stopping
     */
    public CompletableFuture<CaptionResult> submit(ImageInput image, SearchRequest search) {
        if (!accepting) {
            throw ServiceError.unavailable("the service is stopping", 5);
        }
        Pending pending = new Pending(image, search.search(), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw ServiceError.unavailable("the request queue is full (" + queue.size() + " waiting); try again shortly", 1);
        }
        return pending.result();
    }

    /** Whether the worker is running: the service is ready. */
    public boolean isAlive() {
        return accepting && workers.stream().allMatch(Thread::isAlive);
    }

    /** Requests waiting now. */
    public int queued() {
        return queue.size();
    }

    /** Batches run, images captioned in them, and the largest batch so far. */
    public Stats stats() {
        return new Stats(batches.get(), captioned.get(), largestBatch.get());
    }

    /** What the batcher has done since it started. */
    public record Stats(long batches, long images, int largestBatch) {}

    private void run(Captioner captioner) {
        JniUtils.getNumThreads(); // libtorch sets a new thread's count once, from the last one set anywhere: let it do so now
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (accepting || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    Pending next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || arriving.getAsInt() == 0) {
                            break; // nobody else is coming in time
                        }
                        next = queue.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
                    }
                    if (next != null) {
                        batch.add(next);
                    }
                }
                int share = Math.max(1, threads / busy.incrementAndGet());
                try {
                    JniUtils.setNumThreads(share); // this thread's OpenMP count only
                    serve(captioner, batch);
                } finally {
                    busy.decrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) { // only where interrupted: nobody will caption these
            left.result().completeExceptionally(ServiceError.unavailable("the service stopped", 5));
        }
    }

    /** Captions one batch, grouped by search, and completes each request's future. */
    private void serve(Captioner captioner, List<Pending> batch) {
        Map<SearchRequest, List<Pending>> bySearch = new LinkedHashMap<>();
        for (Pending pending : batch) {
            if (!pending.result().isDone()) { // cancelled: its client stopped waiting
                bySearch.computeIfAbsent(pending.search(), s -> new ArrayList<>()).add(pending);
            }
        }
        for (Map.Entry<SearchRequest, List<Pending>> group : bySearch.entrySet()) {
            List<Pending> pendings = group.getValue();
            batches.incrementAndGet();
            captioned.addAndGet(pendings.size());
            largestBatch.accumulateAndGet(pendings.size(), Math::max);
            try {
                List<ImageInput> images = pendings.stream().map(Pending::image).toList();
                CaptionBatch done = captioner.captionInputs(images, group.getKey().options());
                // Results and failures both come in input order: each input is the next of one of them.
                int nextResult = 0;
                int nextFailure = 0;
                for (int i = 0; i < pendings.size(); i++) {
                    if (nextResult < done.results().size() && done.results().get(nextResult).input() == images.get(i)) {
                        pendings.get(i).result().complete(done.results().get(nextResult++));
                    } else {
                        pendings.get(i).result().completeExceptionally(failureOf(done.failures().get(nextFailure++)));
                    }
                }
            } catch (IOException | RuntimeException e) { // one bad batch must not stop the worker: its requests fail, the next runs
                for (Pending pending : pendings) {
                    pending.result().completeExceptionally(e);
                }
            }
        }
    }

    /** The one-line reason an image was left out, as a 413 (too large) or a 422 (not a readable image). */
    private static ServiceError failureOf(ImageFailure failure) {
        return failure.kind() == ImageDecodeException.Kind.TOO_LARGE ? ServiceError.tooLarge(failure.message())
                : ServiceError.unprocessable(failure.message());
    }

    /** Stops taking requests, captions those queued, waits for the workers to finish and closes the shared copies. */
    @Override
    public void close() {
        accepting = false;
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
        copies.subList(1, copies.size()).forEach(Captioner::close); // the first is the service's, which its owner closes
    }
}
