package dev.captioner.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * What DJL must be told on an executor's task threads before they load or run a model.
 * <ul>
 *   <li>Offline mode, unless the user set {@code ai.djl.offline}: the jar carries libtorch and DJL's JNI
 *       bridge, so the engine never needs the network, and a missing native library fails with a message
 *       instead of a download (as the command line does).</li>
 *   <li>No autograd. libtorch keeps its grad mode per thread, and DJL turns it off only on the thread that
 *       starts the engine; Spark runs tasks on threads of its own, where it is on, and loading the package's
 *       weights then fails ("a leaf Variable that requires grad is being used in an in-place operation").
 *       Inference never needs gradients.</li>
 * </ul>
 * libtorch's threads are left to the JVM's settings: {@code -Dai.djl.pytorch.num_threads=N} (or
 * {@code OMP_NUM_THREADS}) in {@code spark.executor.extraJavaOptions}, as docs/spark.md explains.
 */
final class EngineSettings {
    private EngineSettings() {}

    /** Readies the calling thread: offline mode, the engine loaded, autograd off. Cheap after the first call. */
    static void prepareThisThread() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine.getEngine("PyTorch");
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}
