package dev.captioner.app;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * Loads the deep-learning engine from the libraries inside the jar and prints what it found: the quick
 * way to see that the jar works offline on this machine.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Load the PyTorch engine bundled in the jar and print versions, threads and the native cache folder.")
final class InfoCommand extends BaseCommand {
    @Override
    protected int run() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Engine engine = Engine.getEngine("PyTorch");
        out.println("engine:        " + engine.getEngineName() + " " + engine.getVersion());
        out.println("djl:           " + Engine.getDjlVersion());
        out.println("device:        " + engine.defaultDevice());
        out.println("native cache:  " + Utils.getEngineCacheDir("pytorch"));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(6f).reshape(2, 3);
            NDArray y = x.matMul(x.transpose()); // (2, 2)
            out.println("self-check:    [[0,1,2],[3,4,5]] x its transpose = " + java.util.Arrays.toString(y.toFloatArray()));
        }
        out.println("java:          " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        return ExitCode.OK;
    }
}
