package dev.captioner.spark;

import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The captioners of this JVM (an executor, or the driver in local mode), loaded once and kept for every
 * partition and task that follows: loading a package reads its weights and builds its predictors (about
 * a second), so it must never happen per row or per partition.
 *
 * <p>A {@link Captioner} is not thread-safe, and an executor runs as many tasks at once as it has cores.
 * Each key holds a small pool of at most {@code copies} captioners: a task borrows one for a batch and
 * gives it back. With one copy (the default) the pool is a lock around the one model: the tasks take
 * turns, and libtorch's own threads use the cores while one batch is searched; this is what the command
 * line does. With as many copies as task slots, each task searches on its own copy with one libtorch thread.
 * Either way the package is loaded once: further copies are {@link Captioner#sharedCopy() shared copies} of the
 * first (their own predictors over the same weights). docs/spark.md compares the two.
 */
final class ExecutorCaptioners {
    private static final Map<Key, Pool> POOLS = new ConcurrentHashMap<>();
    private static final Map<Key, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    /**
     * What a captioner is loaded for.
     *
     * @param model     the package as this JVM reads it (folder or zip)
     * @param batchSize images encoded and searched together
     * @param copies    the most captioners of this package this JVM loads
     */
    record Key(Path model, int batchSize, int copies) {}

    private ExecutorCaptioners() {}

    /**
     * Runs {@code work} with a captioner of {@code key}, loading one first where the pool has none free and
     * fewer than {@code copies}; otherwise waits for one.
     */
    static <T> T with(Key key, CaptionerWork<T> work) throws IOException {
        Pool pool = POOLS.computeIfAbsent(key, Pool::new);
        EngineSettings.prepareThisThread();
        Captioner captioner = pool.borrow();
        try {
            return work.apply(captioner);
        } finally {
            pool.giveBack(captioner);
        }
    }

    /** How many times this JVM has loaded a captioner for {@code key}. */
    static int loads(Key key) {
        AtomicInteger loads = LOADS.get(key);
        return loads == null ? 0 : loads.get();
    }

    /** Something done with a borrowed captioner. */
    @FunctionalInterface
    interface CaptionerWork<T> {
        T apply(Captioner captioner) throws IOException;
    }

    /** At most {@code copies} captioners of one key; free ones wait in {@code idle}. */
    private static final class Pool {
        private final Key key;
        private final Deque<Captioner> idle = new ArrayDeque<>();
        private int loaded;
        private Captioner first;

        Pool(Key key) {
            this.key = key;
        }

        Captioner borrow() throws IOException {
            synchronized (this) {
                while (idle.isEmpty() && loaded >= key.copies()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for a captioner of " + key.model(), e);
                    }
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                loaded++; // reserve the slot; the load itself runs outside the lock
            }
            try {
                return load();
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    loaded--;
                    notifyAll();
                }
                throw e;
            }
        }

        synchronized void giveBack(Captioner captioner) {
            idle.push(captioner);
            notifyAll();
        }

        /** The package's first captioner, loaded once; every further copy shares its weights. */
        private synchronized Captioner load() throws IOException {
            if (first == null) {
                first = Captioner.load(key.model(), Captioner.Options.builder().optBatchSize(key.batchSize()).build());
                LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                return first;
            }
            return first.sharedCopy();
        }
    }
}
