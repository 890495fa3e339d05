package dev.captioner.pipeline.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.search.Ensemble;
import dev.captioner.decoder.search.Hypothesis;
import dev.captioner.decoder.search.SearchModel;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.encoder.image.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Captions images with a model package, or with an ensemble of several, the library's front door:
 * <pre>
 * try (Captioner captioner = Captioner.load(Path.of("models/att-lstm.zip"))) {
 *     CaptionResult r = captioner.caption(Path.of("photo.jpg"));
 *     System.out.println(r.text() + "  (log p = " + r.logProb() + ")");
 * }
 * </pre>
 * Images go through the package's own preprocessing and encoder in a DJL {@link Predictor} with
 * {@link ImageTranslator}, batched by {@link Options#batchSize()}; the search the {@link Options} ask
 * for then runs on the features and returns Java captions.
 *
 * <p>With several packages ({@link #load(List, Options)}), the search runs on the mean of the members'
 * next-word distributions ({@link Ensemble}). The members must share one vocabulary and one encoder
 * (same weights, same input size), so each image is encoded once, by the first member's encoder;
 * packages that do not are refused with one line naming the package and what differs.
 *
 * <p>Deterministic: the same packages, options and images give the same captions (sampling included,
 * for a given seed and batch size). Not thread-safe; use one captioner per thread, and {@link #sharedCopy()} for a
 * second thread that should use the same loaded weights.
 */
public final class Captioner implements AutoCloseable {
    private final List<ModelPackage> members;
    private final Options options;
    private final SearchModel<?> searchModel;
    private final CaptionSearch search;
    private final Model djlModel;
    private final Predictor<List<ImageInput>, ImageTranslator.EncodedBatch> strict;
    private final Predictor<List<ImageInput>, ImageTranslator.EncodedBatch> skipping;
    /** Whether closing this captioner closes the packages and the model: false for a {@link #sharedCopy()}. */
    private final boolean ownsWeights;

    private Captioner(List<ModelPackage> members, Options options, CaptionSearch search, Model djlModel) {
        this(members, options, search, djlModel, true);
    }

    private Captioner(List<ModelPackage> members, Options options, CaptionSearch search, Model djlModel, boolean ownsWeights) {
        this.ownsWeights = ownsWeights;
        this.members = members;
        this.options = options;
        this.search = search;
        this.djlModel = djlModel;
        this.searchModel = searchModel(members);
        ImagePreprocessor preprocessor = members.get(0).encoder().preprocessor();
        this.strict = djlModel.newPredictor(new ImageTranslator(preprocessor, false));
        this.skipping = djlModel.newPredictor(new ImageTranslator(preprocessor, true));
    }

    /**
     * A captioner for another thread over the same loaded packages: the weights, vocabulary and encoder are shared
     * (read only while captioning), the predictors and the search's state (a sampler's random draws) are its own.
     * Closing it leaves the packages loaded; close it before this captioner, which owns them.
     */
    public Captioner sharedCopy() {
        return new Captioner(members, options, CaptionSearch.of(options), djlModel, false);
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
        return load(List.of(pkg), options);
    }

    /**
     * Loads an ensemble of packages (one package is an ensemble of one) with the given options.
     *
     * @throws DataFormatException      with one line naming a package that does not load, or whose vocabulary
     *                                  or encoder differs from the first's
     * @throws IllegalArgumentException with one line, for search settings that cannot run
     */
    public static Captioner load(List<Path> packages, Options options) throws IOException {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("captioning needs at least one model package");
        }
        CaptionSearch search = CaptionSearch.of(options); // refuse options it cannot run before loading anything
        List<ModelPackage> members = new ArrayList<>(packages.size());
        Model djlModel = null;
        try {
            for (Path pkg : packages) {
                ModelPackage member = ModelPackage.load(pkg, options.device());
                members.add(member);
                checkSameVocabularyAndEncoder(members.get(0), member);
            }
            djlModel = Model.newInstance("captioner", options.device(), "PyTorch");
            djlModel.setBlock(new EncodingBlock(members.get(0).encoder().encoder()));
            return new Captioner(List.copyOf(members), options, search, djlModel);
        } catch (IOException | RuntimeException e) {
            if (djlModel != null) {
                djlModel.close();
            }
            members.forEach(ModelPackage::close);
            throw e;
        }
    }

    /** An ensemble decodes one word sequence for all members, so the ids must mean the same words; and encodes each image once. */
    private static void checkSameVocabularyAndEncoder(ModelPackage first, ModelPackage member) throws DataFormatException {
        if (member == first) {
            return;
        }
        List<String> a = first.vocabulary().words();
        List<String> b = member.vocabulary().words();
        if (a.size() != b.size()) {
            throw new DataFormatException(member.source(), "its vocabulary has " + b.size() + " words, " + first.source() + "'s has "
                    + a.size() + ": ensemble members must share one vocabulary");
        }
        for (int id = 0; id < a.size(); id++) {
            if (!a.get(id).equals(b.get(id))) {
                throw new DataFormatException(member.source(), "word " + id + " is '" + b.get(id) + "' here but '" + a.get(id) + "' in "
                        + first.source() + ": ensemble members must share one vocabulary");
            }
        }
        EncoderInfo e1 = first.config().encoder();
        EncoderInfo e2 = member.config().encoder();
        if (!e1.identity().equals(e2.identity()) || e1.resizeSize() != e2.resizeSize()) {
            throw new DataFormatException(member.source(), "its encoder is " + e2.identity() + " (resize " + e2.resizeSize() + "), "
                    + first.source() + "'s is " + e1.identity() + " (resize " + e1.resizeSize()
                    + "): ensemble members must share one encoder, which encodes each image once");
        }
    }

    private static SearchModel<?> searchModel(List<ModelPackage> members) {
        if (members.size() == 1) {
            return SearchModel.of(members.get(0).decoder());
        }
        Ensemble.Builder ensemble = Ensemble.builder();
        members.forEach(member -> ensemble.addMember(member.decoder(), member.vocabulary()));
        return ensemble.build();
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
        return captionInBatches(strict, files(images), search).results();
    }

    /** Captions the images that can be read and lists the others with their one-line reasons. */
    public CaptionBatch captionSkippingFailures(List<Path> images) throws IOException {
        return captionInBatches(skipping, files(images), search);
    }

    /**
     * Captions images given as files or held in memory (uploads, rows of a DataFrame), with the search that
     * {@code options} describes (its beam size, n-best, maximum length and sampling; this captioner's device and
     * batch size stay): the images that can be read, in input order, and the others with their one-line reasons.
     *
     * @throws IllegalArgumentException with one line, for search settings that cannot run
     */
    public CaptionBatch captionInputs(List<ImageInput> images, Options options) throws IOException {
        return captionInBatches(skipping, images, options == this.options ? search : CaptionSearch.of(options));
    }

    private CaptionBatch captionInBatches(Predictor<List<ImageInput>, ImageTranslator.EncodedBatch> predictor, List<ImageInput> images,
            CaptionSearch how) throws IOException {
        noGradientsOnThisThread();
        List<CaptionResult> results = new ArrayList<>(images.size());
        List<ImageFailure> failures = new ArrayList<>();
        for (int from = 0; from < images.size(); from += options.batchSize()) {
            List<ImageInput> chunk = List.copyOf(images.subList(from, Math.min(images.size(), from + options.batchSize())));
            try (ImageTranslator.EncodedBatch batch = encode(predictor, chunk)) {
                failures.addAll(batch.failures());
                if (batch.accepted().isEmpty()) {
                    continue;
                }
                List<List<Hypothesis>> found = how.run(searchModel, attends() ? batch.features().get(0) : null,
                        batch.features().get(1)); // (B, L, D), (B, D)
                EncoderInfo encoder = members.get(0).config().encoder();
                Vocabulary vocabulary = members.get(0).vocabulary();
                for (int i = 0; i < batch.accepted().size(); i++) {
                    results.add(new CaptionResult(batch.accepted().get(i),
                            CaptionSearch.captions(found.get(i), vocabulary, encoder.gridRows(), encoder.gridCols())));
                }
            }
        }
        return new CaptionBatch(results, failures);
    }

    /**
     * libtorch keeps its grad mode per thread, and DJL turns it off only on the thread that loads the engine; on
     * any other thread (a service's batcher, a Spark task) every operation would be recorded for a backward pass
     * that never comes. Captioning needs no gradients.
     */
    private static void noGradientsOnThisThread() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    private static List<ImageInput> files(List<Path> images) {
        return images.stream().map(ImageInput::of).toList();
    }

    private static ImageTranslator.EncodedBatch encode(Predictor<List<ImageInput>, ImageTranslator.EncodedBatch> predictor,
            List<ImageInput> images)
            throws IOException {
        try {
            return predictor.predict(images);
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

    /** The first loaded package (the only one, unless this is an ensemble): its config, vocabulary, decoder and encoder. */
    public ModelPackage model() {
        return members.get(0);
    }

    /** Every loaded package, in the order given. */
    public List<ModelPackage> members() {
        return members;
    }

    /** Whether any member attends, so that captions carry attention grids. */
    public boolean attends() {
        return members.stream().anyMatch(member -> member.config().decoder().attention());
    }

    /** How images are decoded, resized and cropped: for drawing attention over what the encoder saw. */
    public ImagePreprocessor preprocessor() {
        return members.get(0).encoder().preprocessor();
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        strict.close();
        skipping.close();
        if (ownsWeights) {
            djlModel.close();
            members.forEach(ModelPackage::close);
        }
    }

    /**
     * Drawing captions instead of searching for the most likely ({@link dev.captioner.decoder.search.SampledSearch}).
     *
     * @param temperature T &gt; 0: the log-probabilities are divided by T before the softmax; below 1 leans to likely words
     * @param topK        k: draw among the k most likely words only; 0 for the whole vocabulary
     * @param seed        the seed of the draws: the same seed, images and batches give the same captions
     */
    public record Sampling(float temperature, int topK, long seed) {
        public Sampling {
            if (!(temperature > 0) || Float.isInfinite(temperature)) {
                throw new IllegalArgumentException("the temperature must be a finite number greater than 0, got " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be at least 0 (0 for the whole vocabulary), got " + topK);
            }
        }
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
     * @param sampling  draw captions instead of searching; null to search
     */
    public record Options(int beamSize, int nBest, int maxLength, int batchSize, Device device, Sampling sampling) {
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
            if (sampling != null && beamSize != 1) {
                throw new IllegalArgumentException("sampling draws one caption per image and keeps no beam: leave the beam size at 1, not "
                        + beamSize);
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
            private Sampling sampling;

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

            /** Draw captions (temperature, top-k, seed) instead of searching; default: search. */
            public Builder optSampling(Sampling sampling) {
                this.sampling = Objects.requireNonNull(sampling, "sampling");
                return this;
            }

            public Options build() {
                return new Options(beamSize, nBest, maxLength, batchSize, device, sampling);
            }
        }
    }
}
