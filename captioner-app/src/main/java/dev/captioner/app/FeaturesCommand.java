package dev.captioner.app;

import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.pipeline.DatasetInput;
import dev.captioner.pipeline.FeatureExtraction;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Runs the encoder once over every image of a dataset and stores the grid and pooled features in a
 * {@link FeatureCache}. A run that was interrupted resumes: images already in the cache are skipped.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract the encoder's grid and pooled features of every image of a dataset into a feature cache.",
                "Run it again on the same cache to resume an interrupted extraction."})
final class FeaturesCommand extends BaseCommand {
    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "A Karpathy split file, or a folder holding one dataset_*.json (as 'captioner synth' writes).")
    Path data;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Folder that the split file's filepath/filename are relative to (default: the split file's folder).")
    Path images;

    @Option(names = "--encoder", required = true, paramLabel = "SPEC",
            description = "resnet18 | ARCH:FILE.safetensors | torchscript:FILE.pt | zoo:ARTIFACT | pretrained:DIR, optionally @SIZE.")
    String encoder;

    @Option(names = "--out", required = true, paramLabel = "CACHE", description = "The feature cache folder (made or resumed).")
    Path out;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--batch", defaultValue = "16", description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--storage", defaultValue = "float32", paramLabel = "float32|float16",
            description = "How features are stored (default: ${DEFAULT-VALUE}).")
    String storage;

    @Override
    protected int run() throws Exception {
        EncoderSpec encoderSpec;
        StorageType storageType;
        try {
            encoderSpec = EncoderSpec.parse(encoder);
            storageType = StorageType.fromJsonName(storage);
            if (storageType == null) {
                throw new IllegalArgumentException("--storage must be float32 or float16, not '" + storage + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1");
        }
        Path splitFile = DatasetInput.splitFile(data);
        Path root = images != null ? images : splitFile.toAbsolutePath().getParent();
        Map<Long, Path> files = FeatureExtraction.imageFiles(KarpathySplit.read(splitFile).images(), root);
        FeatureExtraction.Summary summary = new FeatureExtraction(encoderSpec, storageType, batch, device.device(spec))
                .fill(splitFile.toString(), files, out, new ConsoleProgress(spec.commandLine().getOut(), spec.commandLine().getErr()));
        return summary.failed() > 0 ? ExitCode.DATA_ERROR : ExitCode.OK;
    }
}
