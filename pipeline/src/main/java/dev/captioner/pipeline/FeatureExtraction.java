package dev.captioner.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.encoder.image.ImageFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an encoder over the images a {@link FeatureCache} does not hold yet and stores their grid and
 * pooled features: all of {@code captioner features}, and the first stage of {@code captioner train}. A
 * cache made by another encoder (its identity names the weights by content hash), grid or storage type
 * is refused with one line naming the option to change; an interrupted fill resumes where it stopped.
 *
 * @param encoder   the encoder spec
 * @param storage   the storage type of a new cache; null: an existing cache's, else float32
 * @param batch     images per encoder pass
 * @param device    where the encoder runs; null for the engine's default
 */
public record FeatureExtraction(EncoderSpec encoder, StorageType storage, int batch, Device device) {

    /** What a fill did: images asked for, found in the cache, extracted now, and unreadable (left out). */
    public record Summary(int requested, int alreadyCached, int extracted, int failed) {}

    /**
     * Fills {@code cacheDir} with the features of {@code images} (image id to file, in order), reporting
     * the counts as notes, the progress as a task and each unreadable image as a warning to {@code listener}.
     *
     * @param label names the images in the first note, e.g. the split file
     */
    public Summary fill(String label, Map<Long, Path> images, Path cacheDir, ProgressListener listener) throws IOException {
        try (FeatureExtractor extractor = FeatureExtractor.load(encoder, device)) {
            return fill(extractor, label, images, cacheDir, listener);
        }
    }

    /** As {@link #fill(String, Map, Path, ProgressListener)}, with the encoder already loaded (from {@link #encoder()}). */
    public Summary fill(FeatureExtractor extractor, String label, Map<Long, Path> images, Path cacheDir, ProgressListener listener)
            throws IOException {
        int side = (int) Math.round(Math.sqrt(extractor.encoder().locations()));
        StorageType type = storage != null ? storage : existingStorage(cacheDir);
        CacheLayout layout = CacheLayout.builder().setGrid(side, extractor.encoder().locations() / side)
                .setChannels(extractor.encoder().featureSize()).setEncoder(extractor.identity()).optStorage(type).build();
        boolean exists = FeatureCache.exists(cacheDir);
        try (FeatureCache cache = exists ? FeatureCache.open(cacheDir) : FeatureCache.create(cacheDir, layout)) {
            if (!cache.layout().equals(layout)) {
                throw new DataFormatException(cacheDir, "this cache holds " + cache.layout() + ", not " + layout
                        + "; give another cache folder");
            }
            List<Long> todo = new ArrayList<>();
            images.keySet().stream().filter(id -> !cache.contains(id)).forEach(todo::add);
            listener.note(String.format("%s: %d images, %d already cached, %d to extract with %s", label, images.size(),
                    images.size() - todo.size(), todo.size(), extractor.encoder().describe()));
            int failed = 0;
            long start = System.nanoTime();
            try (ProgressListener.Task bar = listener.start("features", todo.size(), 0, "img");
                    NDManager manager = NDManager.newBaseManager(device)) {
                for (int from = 0; from < todo.size(); from += batch) {
                    List<Long> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
                    failed += extractChunk(extractor, cache, chunk, images, manager, listener);
                    bar.stepBy(chunk.size());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int extracted = todo.size() - failed;
            listener.note(String.format("cached %d images in %.1f s (%.1f images/s)%s; %s now holds %d images of %s", extracted, seconds,
                    extracted / Math.max(seconds, 1e-9), failed > 0 ? ", skipped " + failed + " unreadable" : "", cacheDir,
                    cache.size(), cache.layout()));
            return new Summary(images.size(), images.size() - todo.size(), extracted, failed);
        }
    }

    /** One encoder pass; returns the number of files that could not be read. */
    private static int extractChunk(FeatureExtractor extractor, FeatureCache cache, List<Long> chunk, Map<Long, Path> images,
            NDManager manager, ProgressListener listener) throws IOException {
        List<Path> files = new ArrayList<>(chunk.size());
        for (long id : chunk) {
            files.add(images.get(id));
        }
        int failed = 0;
        try (NDManager step = manager.newSubManager()) {
            FeatureExtractor.Extraction extraction = extractor.extract(files, step);
            for (ImageFailure failure : extraction.batch().failures()) {
                listener.warn("skipped " + failure.message());
                failed++;
            }
            if (extraction.features() != null) {
                List<Long> ids = new ArrayList<>();
                for (Path accepted : extraction.batch().accepted()) {
                    ids.add(chunk.get(files.indexOf(accepted)));
                }
                cache.putAll(ids, extraction.features().grid(), extraction.features().pooled());
            }
        }
        return failed;
    }

    /** Image id to file: {@code root} resolved against each image's {@code filepath/filename}, in order. */
    public static Map<Long, Path> imageFiles(List<KarpathyImage> images, Path root) {
        Map<Long, Path> files = new LinkedHashMap<>();
        for (KarpathyImage image : images) {
            files.put(image.id(), root.resolve(image.relativePath()));
        }
        return files;
    }

    /** The storage type of the cache in {@code dir}, or float32 where there is none yet. */
    private static StorageType existingStorage(Path dir) throws IOException {
        if (!FeatureCache.exists(dir)) {
            return StorageType.FLOAT32;
        }
        try (FeatureCache cache = FeatureCache.open(dir)) {
            return cache.layout().storage();
        }
    }
}
