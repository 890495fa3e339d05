package dev.captioner.pipeline;

import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.metrics.CaptionEvaluation;
import dev.captioner.metrics.CaptionScores;
import dev.captioner.metrics.grounding.GridCeiling;
import dev.captioner.pipeline.model.EncoderInfo;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.metrics.grounding.GroundingAccuracy;
import dev.captioner.metrics.grounding.GroundingCase;
import dev.captioner.metrics.grounding.GroundingReport;
import dev.captioner.metrics.grounding.ObjectHallucinations;
import dev.captioner.pipeline.model.CaptionBatch;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Captions every image of a split with a {@link Captioner} (one model or an ensemble) and scores the
 * captions against the images' references (BLEU-1..4, ROUGE-L, CIDEr-D): the job behind
 * {@code captioner evaluate}. Where the captioner attends and the dataset has object boxes (synth-scenes'
 * {@code instances.json}), it also measures grounding ({@link GroundingAccuracy}); where the dataset has
 * boxes, hallucinations for any captioner ({@link ObjectHallucinations}).
 * <pre>
 * try (Captioner captioner = Captioner.load(model, Captioner.Options.builder().optBeamSize(3).build())) {
 *     Evaluation.Result r = Evaluation.builder().setImages(split.split("test"), imageRoot).build()
 *             .run(captioner, ProgressListener.SILENT);
 *     r.scores().toMap().get("CIDEr");
 * }
 * </pre>
 */
public final class Evaluation {
    private final List<KarpathyImage> images;
    private final Path root;
    private final SynthInstances instances;

    private Evaluation(Builder builder) {
        this.images = List.copyOf(builder.images);
        this.root = builder.root;
        this.instances = builder.instances;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What an evaluation found.
     *
     * @param results   the caption of every image that could be read, as a COCO results file holds them
     * @param failures  the images that could not be read, each with its one-line reason
     * @param scores    the corpus and per-image scores of {@code results}; null where no image could be captioned
     * @param grounding grounding and hallucination, or null where the captioner does not attend or no boxes were given
     * @param ceiling   the grid's ceiling over the same images (the share of objects whose box holds a cell centre), or
     *                  null with {@code grounding}
     * @param hallucinations the object words that fit no object of their image, for any captioner; null where no boxes
     *                  were given
     * @param ciderByObjectCount CIDEr-D by the number of objects in the image: the mean of the images' own scores in
     *                  the whole split, as {@code compare} tables it; null where no boxes were given
     */
    public record Result(List<CocoResult> results, List<ImageFailure> failures, CaptionScores<Long> scores, GroundingReport grounding,
            GridCeiling ceiling, ObjectHallucinations hallucinations, SortedMap<Integer, Double> ciderByObjectCount) {
        public Result {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Captions the images in the captioner's batches and scores them.
     *
     * @throws IOException where a file cannot be read at all (unreadable images are listed in the result instead)
     */
    public Result run(Captioner captioner, ProgressListener listener) throws IOException {
        Map<Path, KarpathyImage> byFile = new LinkedHashMap<>();
        for (KarpathyImage image : images) {
            byFile.put(root.resolve(image.relativePath()), image);
        }
        List<Path> files = new ArrayList<>(byFile.keySet());
        Grounder grounder = instances != null && captioner.attends()
                ? new Grounder(instances, captioner.preprocessor(), captioner.model().config().encoder()) : null;
        Map<Long, List<SynthAnnotation>> objects = instances != null ? instances.annotationsByImage() : null;
        ObjectHallucinations hallucinations = objects != null ? new ObjectHallucinations() : null;
        List<CocoResult> results = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        int batch = captioner.options().batchSize();
        try (ProgressListener.Task task = listener.start("evaluate", files.size(), 0, "img")) {
            for (int from = 0; from < files.size(); from += batch) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
                CaptionBatch done = captioner.captionSkippingFailures(chunk);
                for (CaptionResult result : done.results()) {
                    long id = byFile.get(result.image()).id();
                    results.add(new CocoResult(id, result.text()));
                    if (grounder != null) {
                        grounder.add(id, result);
                    }
                    if (hallucinations != null && objects.containsKey(id)) {
                        hallucinations.add(result.words(), objects.get(id));
                    }
                }
                failures.addAll(done.failures());
                task.stepBy(chunk.size());
            }
        }
        if (results.isEmpty()) {
            return new Result(results, failures, null, null, null, null, null);
        }
        Map<Long, KarpathyImage> byId = new LinkedHashMap<>();
        images.forEach(image -> byId.put(image.id(), image));
        List<Long> ids = new ArrayList<>();
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        Map<Long, List<String>> references = new LinkedHashMap<>();
        for (CocoResult result : results) {
            ids.add(result.imageId());
            candidates.put(result.imageId(), List.of(CaptionTokenizer.normalize(result.caption())));
            references.put(result.imageId(), byId.get(result.imageId()).references());
        }
        CaptionScores<Long> scores = CaptionEvaluation.evaluate(ids, candidates, references);
        SortedMap<Integer, Double> byCount = null;
        if (objects != null) {
            Map<Integer, List<Long>> groups = new TreeMap<>();
            for (long id : ids) {
                if (objects.containsKey(id)) {
                    groups.computeIfAbsent(objects.get(id).size(), n -> new ArrayList<>()).add(id);
                }
            }
            byCount = new TreeMap<>();
            for (Map.Entry<Integer, List<Long>> group : groups.entrySet()) {
                byCount.put(group.getKey(), scores.mean("CIDEr", group.getValue()));
            }
        }
        return new Result(results, failures, scores, grounder == null ? null : grounder.accuracy.report(),
                grounder == null ? null : grounder.ceiling, hallucinations, byCount);
    }

    /** Collects the grounding cases of an attention model's captions: where its grid lies in each image, and the image's boxes. */
    private static final class Grounder {
        final GroundingAccuracy accuracy = new GroundingAccuracy();
        final GridCeiling ceiling = new GridCeiling();
        private final Map<Long, CocoImage> sizes = new LinkedHashMap<>();
        private final Map<Long, List<SynthAnnotation>> boxes;
        private final ImagePreprocessor preprocessor;
        private final EncoderInfo encoder;

        Grounder(SynthInstances objects, ImagePreprocessor preprocessor, EncoderInfo encoder) {
            objects.images().forEach(image -> sizes.put(image.id(), image));
            this.boxes = objects.annotationsByImage();
            this.preprocessor = preprocessor;
            this.encoder = encoder;
        }

        void add(long id, CaptionResult result) {
            CocoImage size = sizes.get(id);
            List<SynthAnnotation> inImage = boxes.get(id);
            if (size == null || inImage == null) {
                return; // an image the instances file does not describe is scored without grounding
            }
            CropRegion crop = preprocessor.cropRegion(size.width(), size.height());
            GridRegion region = new GridRegion(crop.x(), crop.y(), crop.width(), crop.height());
            accuracy.add(new GroundingCase(id, result.words(), result.attention(), region, inImage));
            ceiling.add(inImage, region, encoder.gridRows(), encoder.gridCols());
        }
    }

    /** Builds an {@link Evaluation}: the images are required, the objects optional. */
    public static final class Builder {
        private List<KarpathyImage> images;
        private Path root;
        private SynthInstances instances;

        Builder() {}

        /** The images and the folder their {@code filepath/filename} are relative to (required). */
        public Builder setImages(List<KarpathyImage> images, Path root) {
            this.images = Objects.requireNonNull(images, "images");
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** The objects of each image, for grounding and hallucinations; without them neither is measured. */
        public Builder optInstances(SynthInstances instances) {
            this.instances = instances;
            return this;
        }

        public Evaluation build() {
            if (images == null) {
                throw new IllegalStateException("Evaluation.builder(): setImages is required");
            }
            if (images.isEmpty()) {
                throw new IllegalArgumentException("no images to evaluate");
            }
            return new Evaluation(this);
        }
    }
}
