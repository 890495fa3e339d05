package dev.captioner.app;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.encoder.image.ImageFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs the encoder once over every image of a dataset and stores the grid and pooled features in a
 * {@link FeatureCache}. A run that was interrupted resumes: images already in the cache are skipped.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract the encoder's grid and pooled features of every image of a dataset into a feature cache.",
                "Run it again on the same cache to resume an interrupted extraction."})
final class FeaturesCommand implements Callable<Integer> {
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

    @Option(names = "--batch", defaultValue = "16", description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--storage", defaultValue = "float32", paramLabel = "float32|float16",
            description = "How features are stored (default: ${DEFAULT-VALUE}).")
    String storage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Offline.enforce();
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
        Path splitFile = splitFile(data);
        Path root = images != null ? images : splitFile.toAbsolutePath().getParent();
        List<KarpathyImage> all = KarpathySplit.read(splitFile).images();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (FeatureExtractor extractor = FeatureExtractor.load(encoderSpec)) {
            int side = (int) Math.round(Math.sqrt(extractor.encoder().locations()));
            CacheLayout layout = CacheLayout.builder().setGrid(side, extractor.encoder().locations() / side)
                    .setChannels(extractor.encoder().featureSize()).setEncoder(extractor.identity()).optStorage(storageType).build();
            try (FeatureCache cache = Files.exists(out.resolve("cache.json")) ? FeatureCache.open(out) : FeatureCache.create(out, layout)) {
                if (!cache.layout().equals(layout)) {
                    throw new DataFormatException(out, "this cache holds " + cache.layout() + ", not " + layout
                            + "; use another --out");
                }
                List<KarpathyImage> todo = all.stream().filter(image -> !cache.contains(image.id())).collect(Collectors.toList());
                stdout.printf("%s: %d images, %d already cached, %d to extract with %s%n", splitFile, all.size(),
                        all.size() - todo.size(), todo.size(), extractor.encoder().describe());
                stdout.flush();
                long failed = 0;
                long start = System.nanoTime();
                try (ProgressBar bar = ProgressBars.start("features", todo.size(), "img");
                        NDManager manager = NDManager.newBaseManager()) {
                    for (int from = 0; from < todo.size(); from += batch) {
                        List<KarpathyImage> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
                        List<Path> files = new ArrayList<>(chunk.size());
                        for (KarpathyImage image : chunk) {
                            files.add(root.resolve(image.relativePath()));
                        }
                        try (NDManager step = manager.newSubManager()) {
                            FeatureExtractor.Extraction extraction = extractor.extract(files, step);
                            for (ImageFailure failure : extraction.batch().failures()) {
                                stderr.println("captioner: skipped " + failure.message());
                                failed++;
                            }
                            if (extraction.features() != null) {
                                List<Long> ids = new ArrayList<>();
                                for (Path accepted : extraction.batch().accepted()) {
                                    ids.add(chunk.get(files.indexOf(accepted)).id());
                                }
                                cache.putAll(ids, extraction.features().grid(), extraction.features().pooled());
                            }
                        }
                        bar.stepBy(chunk.size());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                stdout.printf("cached %d images in %.1f s (%.1f images/s)%s; %s now holds %d images of %s%n",
                        todo.size() - failed, seconds, (todo.size() - failed) / Math.max(seconds, 1e-9),
                        failed > 0 ? ", skipped " + failed + " unreadable" : "", out, cache.size(), cache.layout());
                return failed > 0 ? ExitCode.DATA_ERROR : ExitCode.OK;
            }
        }
    }

    /** The split file itself, or the one dataset_*.json in a folder. */
    static Path splitFile(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return data;
        }
        List<Path> found;
        try (Stream<Path> files = Files.list(data)) {
            found = files.filter(f -> f.getFileName().toString().matches("dataset_.*\\.json")).sorted().collect(Collectors.toList());
        }
        if (found.size() != 1) {
            throw new DataFormatException(data, found.isEmpty() ? "no dataset_*.json split file in this folder"
                    : "more than one dataset_*.json here (" + found.size() + "); name the split file itself");
        }
        return found.get(0);
    }
}
