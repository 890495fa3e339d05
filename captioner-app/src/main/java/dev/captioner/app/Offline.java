package dev.captioner.app;

/**
 * DJL may try to download engines and models at run time; this project never does. Everything it needs
 * is inside the jar, so the CLI turns DJL's offline mode on before DJL is touched (a user can still set
 * {@code -Dai.djl.offline=false} to reach the model zoo).
 */
final class Offline {
    private Offline() {}

    static void enforce() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
