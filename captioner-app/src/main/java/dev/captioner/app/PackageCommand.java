package dev.captioner.app;

import dev.captioner.decoder.model.ModelPackage;
import dev.captioner.decoder.model.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Packages a training checkpoint with its encoder: what {@code train --package} does at the end of a run, for
 * any checkpoint, e.g. the evaluated snapshot of one {@code captioner compare} run
 * ({@code OUT/runs/MODEL/seed-S/checkpoints/best}).
 */
@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the model package of a training checkpoint: its decoder and vocabulary with the encoder its features came from."})
final class PackageCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A run's checkpoints folder (its best snapshot is taken, else the last) or one snapshot folder.")
    Path checkpoint;

    @Option(names = "--encoder", required = true, paramLabel = "SPEC",
            description = "The encoder the training features were made with, e.g. pretrained:DIR.")
    String encoder;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "The package: a folder, or a file ending in .zip.")
    Path out;

    @Option(names = "--storage", paramLabel = "float32|float16", defaultValue = "float32",
            description = "How the package stores its weights (default: ${DEFAULT-VALUE}); float16 halves its size.")
    String storage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Offline.enforce();
        Storage chosen;
        try {
            chosen = Storage.parse(storage);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--storage: " + e.getMessage());
        }
        if (!Files.isDirectory(checkpoint)) {
            throw new dev.captioner.data.DataFormatException(checkpoint, "no such checkpoint folder");
        }
        ModelPackage.fromCheckpoint(checkpoint, encoder).optStorage(chosen)
                .optProvenance("command", "captioner " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .write(out);
        spec.commandLine().getOut().printf("model package: %s (%s weights)%n", out, storage);
        return ExitCode.OK;
    }
}
