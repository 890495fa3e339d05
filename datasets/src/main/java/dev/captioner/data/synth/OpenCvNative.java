package dev.captioner.data.synth;

import nu.pattern.OpenCV;

/** Loads OpenCV's native library (bundled in the org.openpnp jar) once per JVM, whoever asks first. */
public final class OpenCvNative {
    private static volatile boolean loaded;

    private OpenCvNative() {}

    /** Loads the library unless it is loaded already; safe to call from any thread, any number of times. */
    public static void load() {
        if (!loaded) {
            synchronized (OpenCvNative.class) {
                if (!loaded) {
                    OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
