package dev.captioner.app;

import dev.captioner.encoder.pretrain.EncoderPretraining;
import dev.captioner.encoder.pretrain.LabelledScenes;
import dev.captioner.encoder.pretrain.PretrainingAccuracy;
import dev.captioner.encoder.pretrain.SceneTargets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Pretrains the project's own encoder on a synth-scenes folder: the offline stand-in for ImageNet
 * weights. The result is a folder that {@code --encoder pretrained:DIR} loads.
 */
@Command(name = "pretrain-encoder", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain a CNN backbone on synth-scenes (which colour-shape pairs, how many objects, which cells)",
                "and save it for --encoder pretrained:DIR. Held-out accuracy is printed after every epoch."})
final class PretrainEncoderCommand extends BaseCommand {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A synth-scenes folder made by 'captioner synth'.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to save the encoder.")
    Path out;

    @Option(names = "--arch", defaultValue = "resnet18", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input-size", defaultValue = "128", paramLabel = "PX", description = "Input side (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--max-objects", defaultValue = "4", description = "Most objects per scene in the data (default: ${DEFAULT-VALUE}).")
    int maxObjects;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dense-sizes", description = "The dense head also names each object's size (small, large) at its"
            + " location, so the grid's features carry the captions' size words.")
    boolean denseSizes;

    @Override
    protected int run() throws Exception {
        EncoderPretraining pretraining;
        try {
            pretraining = EncoderPretraining.builder().optArchitecture(arch).optInputSize(inputSize).optEpochs(epochs)
                    .optBatchSize(batch).optLearningRate(learningRate).optMaxObjects(maxObjects).optSeed(seed)
                    .optDenseSizes(denseSizes).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SceneTargets targets = pretraining.targets();
        LabelledScenes train = LabelledScenes.read(data, "train", targets, pretraining.gridSide());
        LabelledScenes heldOut = LabelledScenes.read(data, "val", targets, pretraining.gridSide());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("pretraining %s@%d on %d images of %s, held out: %d val images%n", arch, inputSize, train.size(), data,
                heldOut.size());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("data", data.toAbsolutePath().normalize().getFileName().toString());
        facts.put("train_images", String.valueOf(train.size()));
        facts.put("batch", String.valueOf(batch));
        facts.put("learning_rate", String.valueOf(learningRate));
        facts.put("seed", String.valueOf(seed));
        facts.put("command", "captioner pretrain-encoder --data DATA --arch " + arch + " --input-size " + inputSize
                + " --epochs " + epochs + " --batch " + batch + " --lr " + learningRate + " --seed " + seed
                + (denseSizes ? " --dense-sizes" : ""));
        long steps = (long) epochs * ((train.size() + batch - 1) / batch);
        EncoderPretraining.Result result;
        try (ProgressBar bar = ProgressBars.start("pretrain", steps, "step")) {
            result = pretraining.train(train, heldOut, out, facts, new EncoderPretraining.Listener() {
                @Override
                public void step(int epoch, long stepInEpoch, long stepsPerEpoch, double loss) {
                    bar.step();
                    bar.setExtraMessage(String.format(" epoch %d loss %.3f", epoch, loss));
                }

                @Override
                public void evaluated(int epoch, PretrainingAccuracy accuracy) {
                    stdout.printf("epoch %d: held-out %s%n", epoch, accuracy);
                    stdout.flush();
                }
            });
        }
        stdout.printf("saved %s (final held-out: %s)%n", out, result.last());
        return ExitCode.OK;
    }
}
