package dev.captioner.pipeline.bench;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.FileTrees;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.cache.StorageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code captioner features} does per batch of 16, end to end: read and decode 16 synth-scenes
 * JPEGs (224x224), preprocess them, run ResNet-18 at 224 and append grid and pooled to a float16
 * feature cache (commit included).
 */
final class FeaturesWorkload implements Workload {
    private static final int N = 16;

    private Path dir;
    private FeatureExtractor extractor;
    private FeatureCache cache;
    private NDManager manager;
    private final List<Path> files = new ArrayList<>();
    private long nextId;

    @Override
    public String name() {
        return "features-resnet18-224";
    }

    @Override
    public String description() {
        return "decode 16 JPEGs, preprocess, ResNet-18 at 224, append to a float16 feature cache";
    }

    @Override
    public int imagesPerIteration() {
        return N;
    }

    @Override
    public double gflopPerIteration() {
        return 58.0340;
    }

    @Override
    public void prepare() throws Exception {
        dir = Files.createTempDirectory("bench-features");
        SynthScenes.builder().setImages(N).optSeed(5).build().write(dir.resolve("data"), done -> { });
        for (int i = 0; i < N; i++) {
            files.add(dir.resolve("data").resolve(SynthScenes.IMAGE_DIR).resolve(String.format("%06d.jpg", i)));
        }
        extractor = FeatureExtractor.load(EncoderSpec.parse("resnet18@224"));
        cache = FeatureCache.create(dir.resolve("cache"), CacheLayout.builder().setGrid(7, 7).setChannels(512)
                .setEncoder(extractor.identity()).optStorage(StorageType.FLOAT16).build(), N);
        manager = NDManager.newBaseManager();
    }

    @Override
    public void iterate() throws Exception {
        try (NDManager step = manager.newSubManager()) {
            FeatureExtractor.Extraction extraction = extractor.extract(files, step);
            List<Long> ids = new ArrayList<>(N);
            for (int i = 0; i < N; i++) {
                ids.add(nextId++); // every iteration appends new records
            }
            cache.putAll(ids, extraction.features().grid(), extraction.features().pooled());
            cache.commit();
        }
    }

    @Override
    public void close() throws Exception {
        if (cache != null) {
            cache.close();
        }
        if (extractor != null) {
            extractor.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
