package dev.captioner.app;

import dev.captioner.data.DataFormatException;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.pipeline.model.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Packages a training checkpoint with its encoder: what {@code train --package} does at the end of a run, for
 * any checkpoint, e.g. the evaluated snapshot of one {@code captioner compare} run
 * ({@code OUT/runs/MODEL/seed-S/checkpoints/best}).
 */
@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the model package of a training checkpoint: its decoder and vocabulary with the encoder its features came from."})
final class PackageCommand extends BaseCommand {
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

    @Override
    protected int run() throws Exception {
        StorageType chosen;
        try {
            chosen = StorageType.parse(storage);
        } catch (IllegalArgumentException e) {
            throw usageError("--storage: " + e.getMessage());
        }
        if (!Files.isDirectory(checkpoint)) {
            throw new DataFormatException(checkpoint, "no such checkpoint folder");
        }
        ModelPackage.fromCheckpoint(checkpoint, encoder).optStorage(chosen)
                .optProvenance("command", "captioner " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .write(out);
        spec.commandLine().getOut().printf("model package: %s (%s weights)%n", out, storage);
        return ExitCode.OK;
    }
}
