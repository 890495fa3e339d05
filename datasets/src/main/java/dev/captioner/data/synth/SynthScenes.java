package dev.captioner.data.synth;

import dev.captioner.data.AtomicFile;
import dev.captioner.data.coco.CocoCaption;
import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * synth-scenes: a generated stand-in for COCO where spatial attention matters. Each image shows 1 to
 * {@code maxObjects} coloured shapes ({@link Shape} × {@link Colour} × {@link ObjectSize}) in the cells
 * of a 3×3 grid on a noisy gradient ({@link SceneSampler}, {@link SceneRenderer}), with five true
 * captions about colours, shapes, sizes, counts, positions and relations ({@link SceneCaptions}) and
 * the box of every object ({@link SynthInstances}).
 *
 * <p>{@link #write} makes, in the output folder:
 * <ul>
 *   <li>{@code images/000000.jpg} ... one file per image, named by its index (6 digits; {@code .png} with
 *       {@code optImageFormat("png")});
 *   <li>{@code captions.json}: COCO captions of all images;
 *   <li>{@code captions_train.json}, {@code captions_val.json}, {@code captions_test.json}: COCO
 *       captions of each split, the references for scoring;
 *   <li>{@code dataset_synth.json}: a Karpathy split file ({@code "dataset": "synth"}, {@code filepath}
 *       {@code images});
 *   <li>{@code instances.json}: per-object annotations.
 * </ul>
 * Image ids are the indices 0..N-1, in every file ({@code id}, {@code image_id}, {@code cocoid}). As in
 * COCO, {@code file_name} in the COCO files is relative to the image folder ({@code images/}) and a
 * Karpathy {@code filepath/filename} is relative to the output folder. Caption {@code k} (0..4) of image
 * {@code i} has id {@code 5i + k + 1} in every file.
 *
 * <p><b>Split</b>, by index: the last {@code h} images are {@code test}, the {@code h} before them
 * {@code val}, the rest {@code train}, where {@code h = max(1, N / 10)} for {@code N >= 3} and 0 below
 * (so 80/10/10 for large N, and val and test are never empty from 3 images up). Scenes are drawn
 * independently, so a split by index is a random split.
 *
 * <p><b>Determinism</b>: image {@code i} depends only on {@code (seed, i)}: its generator is a
 * {@link SplittableRandom} seeded with a mix of both, split into one stream for the scene (noise seed
 * included) and one for the captions. Images are drawn on {@code threads} threads in any order; the
 * JSON files are written in index order afterwards, so the same settings give the same bytes in every
 * file. The JSON files hold about 1 KB per image in memory until they are written.
 */
public final class SynthScenes {
    public static final String IMAGE_DIR = "images";
    public static final String CAPTIONS_FILE = "captions.json";
    public static final String KARPATHY_FILE = "dataset_synth.json";
    public static final String INSTANCES_FILE = "instances.json";
    /** The Karpathy file's {@code dataset}. */
    public static final String DATASET = "synth";
    /** The splits, in index order. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /** Image files are named by 6-digit indices. */
    public static final int MAX_IMAGES = 1_000_000;
    public static final int DEFAULT_SIZE = 224;
    public static final int DEFAULT_MAX_OBJECTS = 4;
    public static final long DEFAULT_SEED = 0;
    public static final String DEFAULT_IMAGE_FORMAT = "jpg";

    private final int images;
    private final int size;
    private final int maxObjects;
    private final long seed;
    private final String imageFormat;
    private final int threads;
    private final SceneSampler sampler;

    SynthScenes(Builder builder) {
        this.images = builder.images;
        this.size = builder.size;
        this.maxObjects = builder.maxObjects;
        this.seed = builder.seed;
        this.imageFormat = builder.imageFormat;
        this.threads = builder.threads;
        this.sampler = new SceneSampler(size, maxObjects);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int images() {
        return images;
    }

    public int size() {
        return size;
    }

    public int maxObjects() {
        return maxObjects;
    }

    public long seed() {
        return seed;
    }

    public String imageFormat() {
        return imageFormat;
    }

    public int threads() {
        return threads;
    }

    /** The scene of image {@code index}. */
    public Scene scene(int index) {
        return plan(index).scene;
    }

    /** The five captions of image {@code index}. */
    public List<SceneCaption> captions(int index) {
        return plan(index).captions;
    }

    /** The image file's name: {@code 000042.jpg}. */
    public String fileName(int index) {
        return String.format(Locale.ROOT, "%06d.%s", index, imageFormat);
    }

    /** The COCO captions file of one split: {@code captions_val.json}. */
    public static String captionsFile(String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("unknown split \"" + split + "\" (expected train, val or test)");
        }
        return "captions_" + split + ".json";
    }

    /** The number of {@code val} images, which is also the number of {@code test} images; see the class comment. */
    public static int heldOut(int images) {
        return images >= 3 ? Math.max(1, images / 10) : 0;
    }

    /** The split of image {@code index} of {@code images}: {@code train}, {@code val} or {@code test}. */
    public static String splitOf(int index, int images) {
        int held = heldOut(images);
        if (index >= images - held) {
            return "test";
        }
        return index >= images - 2 * held ? "val" : "train";
    }

    /**
     * Writes the whole dataset into {@code outDir} (made where missing; files already there with the same
     * names are replaced, others are left), every file atomically. {@code onImageDone} is called once per
     * image after its file is written, with the number of images written so far (1, 2, ... N, in order,
     * never two calls at once), on a generator thread: enough to drive a progress bar.
     */
    public SynthSummary write(Path outDir, LongConsumer onImageDone) throws IOException {
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(onImageDone, "onImageDone (pass n -> { } for no progress)");
        long start = System.nanoTime();
        Path imageDir = outDir.resolve(IMAGE_DIR);
        Files.createDirectories(imageDir);
        Plan[] plans = new Plan[images];
        drawAll(plans, imageDir, onImageDone);

        List<CocoImage> cocoImages = new ArrayList<>(images);
        List<CocoCaption> captions = new ArrayList<>(images * SceneCaptions.PER_IMAGE);
        List<KarpathyImage> karpathy = new ArrayList<>(images);
        List<SynthAnnotation> annotations = new ArrayList<>(images * (maxObjects + 1) / 2);
        List<List<CocoImage>> splitImages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<CocoCaption>> splitCaptions = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < images; i++) {
            String fileName = fileName(i);
            CocoImage image = new CocoImage(i, fileName, size, size);
            cocoImages.add(image);
            String split = splitOf(i, images);
            int s = SPLITS.indexOf(split);
            splitImages.get(s).add(image);
            List<KarpathySentence> sentences = new ArrayList<>(SceneCaptions.PER_IMAGE);
            List<SceneCaption> sceneCaptions = plans[i].captions;
            for (int k = 0; k < sceneCaptions.size(); k++) {
                String text = sceneCaptions.get(k).text();
                CocoCaption caption = new CocoCaption((long) i * SceneCaptions.PER_IMAGE + k + 1, i, text);
                captions.add(caption);
                splitCaptions.get(s).add(caption);
                sentences.add(new KarpathySentence(CaptionTokenizer.tokenize(text), text));
            }
            karpathy.add(new KarpathyImage(i, IMAGE_DIR, fileName, split, sentences));
            for (SceneObject object : plans[i].scene.objects()) {
                annotations.add(SynthAnnotation.of(annotations.size() + 1, i, object));
            }
            plans[i] = null;
        }
        new SynthInstances(cocoImages, annotations).write(outDir.resolve(INSTANCES_FILE));
        new CocoCaptions(cocoImages, captions).write(outDir.resolve(CAPTIONS_FILE));
        for (int s = 0; s < SPLITS.size(); s++) {
            new CocoCaptions(splitImages.get(s), splitCaptions.get(s)).write(outDir.resolve(captionsFile(SPLITS.get(s))));
        }
        new KarpathySplit(DATASET, karpathy).write(outDir.resolve(KARPATHY_FILE));
        return new SynthSummary(outDir, images, splitImages.get(0).size(), splitImages.get(1).size(), splitImages.get(2).size(),
                annotations.size(), captions.size(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Plans, draws, encodes and writes every image on {@code threads} threads; fills {@code plans} by index. */
    private void drawAll(Plan[] plans, Path imageDir, LongConsumer onImageDone) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Object progressLock = new Object();
        long[] done = {0};
        int workers = Math.min(threads, images);
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "synth-scenes");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    try (SceneRenderer renderer = new SceneRenderer(size, imageFormat)) {
                        int i;
                        while (!failed.get() && (i = next.getAndIncrement()) < images) {
                            Plan plan = plan(i);
                            AtomicFile.writeUnsynced(imageDir.resolve(fileName(i)), renderer.encode(plan.scene));
                            plans[i] = plan;
                            synchronized (progressLock) {
                                onImageDone.accept(++done[0]);
                            }
                        }
                    } catch (Throwable e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            failed.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while drawing synth-scenes images");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private Plan plan(int index) {
        if (index < 0 || index >= images) {
            throw new IndexOutOfBoundsException("image " + index + " of " + images);
        }
        SplittableRandom random = new SplittableRandom(mix64(mix64(seed) + index));
        Scene scene = sampler.sample(index, random.split());
        return new Plan(scene, SceneCaptions.sample(scene, random.split()));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as in {@link SplittableRandom}. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private record Plan(Scene scene, List<SceneCaption> captions) {}

    /** Settings of a {@link SynthScenes}; {@link #setImages} is required, everything else has a default. */
    public static final class Builder {
        private Integer images;
        private int size = DEFAULT_SIZE;
        private int maxObjects = DEFAULT_MAX_OBJECTS;
        private long seed = DEFAULT_SEED;
        private String imageFormat = DEFAULT_IMAGE_FORMAT;
        private int threads = Runtime.getRuntime().availableProcessors();

        Builder() {}

        /** How many images: 1 to {@value SynthScenes#MAX_IMAGES}. */
        public Builder setImages(int images) {
            this.images = images;
            return this;
        }

        /** The side of the square images in pixels, {@value SceneSampler#MIN_SIZE} to {@value SceneSampler#MAX_SIZE}; default 224. */
        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        /** The most objects in one image, 1 to 9 (one per grid cell); default 4. Each image has 1 to this many, uniformly. */
        public Builder optMaxObjects(int maxObjects) {
            this.maxObjects = maxObjects;
            return this;
        }

        /** The seed every image's generator is derived from; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code "jpg"} (default) or {@code "png"}. */
        public Builder optImageFormat(String imageFormat) {
            this.imageFormat = imageFormat;
            return this;
        }

        /** Threads that draw and encode images; default: the number of processors. The output does not depend on it. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Checks the settings; an {@link IllegalArgumentException} names the first bad one. */
        public SynthScenes build() {
            if (images == null) {
                throw new IllegalArgumentException("the number of images is required (setImages)");
            }
            if (images < 1 || images > MAX_IMAGES) {
                throw new IllegalArgumentException("the number of images must be between 1 and " + MAX_IMAGES
                        + " (files are named by 6-digit indices), got " + images);
            }
            SceneSampler.checkSize(size);
            SceneSampler.checkMaxObjects(maxObjects);
            SceneRenderer.checkFormat(imageFormat);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            return new SynthScenes(this);
        }
    }
}
