package dev.captioner.app;

import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.synth.SynthSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Draws a synth-scenes dataset: images, COCO and Karpathy caption files, per-object boxes. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a synth-scenes dataset: coloured shapes on noisy gradients, five captions per image,",
                "object boxes, COCO captions per split and a Karpathy split file. One seed gives the same bytes."})
final class SynthCommand extends BaseCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (made if missing).")
    Path out;

    @Option(names = "--images", required = true, paramLabel = "N", description = "Number of images.")
    int images;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PX", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--max-objects", defaultValue = "4", paramLabel = "K",
            description = "At most this many objects per image, at least one (default: ${DEFAULT-VALUE}).")
    int maxObjects;

    @Option(names = "--format", defaultValue = "jpg", paramLabel = "jpg|png", description = "Image format (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    protected int run() throws Exception {
        SynthScenes scenes;
        try {
            scenes = SynthScenes.builder().setImages(images).optSize(size).optMaxObjects(maxObjects).optSeed(seed)
                    .optImageFormat(format).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SynthSummary summary;
        try (ProgressBar bar = ProgressBars.start("synth", images, "img")) {
            summary = scenes.write(out, bar::stepTo);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %d images (%d train, %d val, %d test), %d objects, %d captions to %s in %.1f s (%.0f images/s)%n",
                summary.images(), summary.trainImages(), summary.valImages(), summary.testImages(), summary.objects(),
                summary.captions(), out, summary.elapsed().toNanos() / 1e9, summary.imagesPerSecond());
        return ExitCode.OK;
    }
}
