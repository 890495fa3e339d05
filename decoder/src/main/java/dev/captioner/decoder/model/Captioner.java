package dev.captioner.decoder.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions images with a model package, the library's front door:
 * <pre>
 * try (Captioner captioner = Captioner.load(Path.of("models/att-lstm.zip"))) {
 *     CaptionResult r = captioner.caption(Path.of("photo.jpg"));
 *     System.out.println(r.text() + "  (log p = " + r.logProb() + ")");
 * }
 * </pre>
 * Images go through the package's own preprocessing and encoder, then the search the {@link Options}
 * ask for, batched by {@link Options#batchSize()}, through a DJL {@link Predictor} with
 * {@link CaptionTranslator}. Deterministic: the same package, options and image give the same caption.
 * Not thread-safe; use one captioner per thread.
 */
public final class Captioner implements AutoCloseable {
    private final ModelPackage model;
    private final Options options;
    private final Model djlModel;
    private final Predictor<List<Path>, CaptionBatch> strict;
    private final Predictor<List<Path>, CaptionBatch> skipping;

    private Captioner(ModelPackage model, Options options, Model djlModel) {
        this.model = model;
        this.options = options;
        this.djlModel = djlModel;
        EncoderInfo encoder = model.config().encoder();
        ImagePreprocessor preprocessor = model.encoder().preprocessor();
        this.strict = djlModel.newPredictor(new CaptionTranslator(preprocessor, model.vocabulary(), encoder.gridRows(),
                encoder.gridCols(), false));
        this.skipping = djlModel.newPredictor(new CaptionTranslator(preprocessor, model.vocabulary(), encoder.gridRows(),
                encoder.gridCols(), true));
    }

    /** Loads a package (folder or zip) with the default options: greedy search, at most 20 words. */
    public static Captioner load(Path pkg) throws IOException {
        return load(pkg, Options.defaults());
    }

    /**
     * Loads a package with the given options.
     *
     * @throws IOException              with one line naming the package and the problem ({@link ModelPackage#load})
     * @throws IllegalArgumentException with one line, for search settings that cannot run
     */
    public static Captioner load(Path pkg, Options options) throws IOException {
        CaptionSearch search = CaptionSearch.of(options); // refuse options it cannot run before loading anything
        ModelPackage model = ModelPackage.load(pkg, options.device());
        Model djlModel = null;
        try {
            djlModel = Model.newInstance("captioner", options.device(), "PyTorch");
            djlModel.setBlock(new CaptioningBlock(model.encoder().encoder(), model.decoder(), search));
            return new Captioner(model, options, djlModel);
        } catch (RuntimeException e) {
            if (djlModel != null) {
                djlModel.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * Captions one image.
     *
     * @throws ImageDecodeException with one line naming the file where it cannot be read as an image
     */
    public CaptionResult caption(Path image) throws IOException {
        return caption(List.of(image)).get(0);
    }

    /**
     * Captions images in batches of {@link Options#batchSize()}; results in input order.
     *
     * @throws ImageDecodeException for the first file that cannot be read, naming it
     */
    public List<CaptionResult> caption(List<Path> images) throws IOException {
        List<CaptionResult> results = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += options.batchSize()) {
            results.addAll(run(strict, images.subList(from, Math.min(images.size(), from + options.batchSize()))).results());
        }
        return results;
    }

    /** Captions the images that can be read and lists the others with their one-line reasons. */
    public CaptionBatch captionSkippingFailures(List<Path> images) throws IOException {
        List<CaptionResult> results = new ArrayList<>(images.size());
        List<ImageFailure> failures = new ArrayList<>();
        for (int from = 0; from < images.size(); from += options.batchSize()) {
            CaptionBatch batch = run(skipping, images.subList(from, Math.min(images.size(), from + options.batchSize())));
            results.addAll(batch.results());
            failures.addAll(batch.failures());
        }
        return new CaptionBatch(results, failures);
    }

    private static CaptionBatch run(Predictor<List<Path>, CaptionBatch> predictor, List<Path> images) throws IOException {
        try {
            return predictor.predict(List.copyOf(images));
        } catch (TranslateException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IOException)) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IllegalStateException("captioning failed: " + e.getMessage(), e);
        }
    }

    /** The loaded package: its config, vocabulary, decoder and encoder. */
    public ModelPackage model() {
        return model;
    }

    /** How images are decoded, resized and cropped: for drawing attention over what the encoder saw. */
    public ImagePreprocessor preprocessor() {
        return model.encoder().preprocessor();
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        strict.close();
        skipping.close();
        djlModel.close();
        model.close();
    }

    /**
     * How captions are searched.
     *
     * @param beamSize  K, the hypotheses kept per step; 1 is greedy search, more is beam search
     * @param nBest     captions returned per image, at most K
     * @param maxLength the most words a caption gets
     * @param batchSize images encoded and searched together
     * @param device    where the weights live and images are encoded and searched; null for the engine's
     *                  default device, what DJL finds (a GPU where its CUDA library is present, else the CPU)
     */
    public record Options(int beamSize, int nBest, int maxLength, int batchSize, Device device) {
        public static final int DEFAULT_MAX_LENGTH = 20;
        public static final int DEFAULT_BATCH_SIZE = 16;

        public Options {
            if (beamSize < 1 || nBest < 1 || maxLength < 1 || batchSize < 1) {
                throw new IllegalArgumentException("beam size, n-best, maximum length and batch size must be at least 1, got "
                        + beamSize + ", " + nBest + ", " + maxLength + ", " + batchSize);
            }
            if (nBest > beamSize) {
                throw new IllegalArgumentException("n-best " + nBest + " cannot exceed the beam size " + beamSize);
            }
        }

        /** Greedy search, one caption per image, at most {@value #DEFAULT_MAX_LENGTH} words, {@value #DEFAULT_BATCH_SIZE} images a batch. */
        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Options}; every setting has a default. */
        public static final class Builder {
            private int beamSize = 1;
            private int nBest = 1;
            private int maxLength = DEFAULT_MAX_LENGTH;
            private int batchSize = DEFAULT_BATCH_SIZE;
            private Device device;

            Builder() {}

            /** K; default 1 (greedy). */
            public Builder optBeamSize(int beamSize) {
                this.beamSize = beamSize;
                return this;
            }

            /** Captions per image; default 1. */
            public Builder optNBest(int nBest) {
                this.nBest = nBest;
                return this;
            }

            /** Default {@value Options#DEFAULT_MAX_LENGTH} words. */
            public Builder optMaxLength(int maxLength) {
                this.maxLength = maxLength;
                return this;
            }

            /** Default {@value Options#DEFAULT_BATCH_SIZE} images. */
            public Builder optBatchSize(int batchSize) {
                this.batchSize = batchSize;
                return this;
            }

            /** Default: the engine's default device (null). */
            public Builder optDevice(Device device) {
                this.device = device;
                return this;
            }

            public Options build() {
                return new Options(beamSize, nBest, maxLength, batchSize, device);
            }
        }
    }
}
