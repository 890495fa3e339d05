package dev.captioner.pipeline.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.encoder.image.ImagePreprocessor;
import java.util.List;

/**
 * Images (files, or encoded images held in memory) to the tensor the encoder reads, and the encoder's features handed back alive: what DJL's
 * Translator is good at, the pre-processing outside the network.
 * <ul>
 *   <li>{@link #processInput}: decode, resize, centre-crop and normalise every image into one
 *       (B, 3, S, S) array ({@link ImagePreprocessor});</li>
 *   <li>{@link #processOutput}: the grid (B, L, D) and pooled (B, D) features, moved to a manager of
 *       their own under the predictor's, so they outlive the prediction until the search has run and
 *       {@link EncodedBatch#close()} frees them with everything the search made from them.</li>
 * </ul>
 *
 * <p>The translator takes a whole list of files and does its own batching ({@link NoBatchifyTranslator}):
 * the preprocessor decodes a batch straight into one array (no per-image arrays, no stacking copy), and a
 * file that cannot be read is either reported for the whole batch or left out of it, which only a
 * translator that sees the batch can do. With {@code skipFailures}, unreadable files are left out and
 * listed; without, the first one stops the batch with its one-line {@link ImageDecodeException}.
 */
final class ImageTranslator implements NoBatchifyTranslator<List<ImageInput>, ImageTranslator.EncodedBatch> {
    private static final String FILES = "files";
    private static final String FAILURES = "failures";

    private final ImagePreprocessor preprocessor;
    private final boolean skipFailures;

    ImageTranslator(ImagePreprocessor preprocessor, boolean skipFailures) {
        this.preprocessor = preprocessor;
        this.skipFailures = skipFailures;
    }

    /** (B, 3, S, S) float32 for the images that could be read. */
    @Override
    public NDList processInput(TranslatorContext ctx, List<ImageInput> images) throws ImageDecodeException {
        ImagePreprocessor.PreprocessedInputs batch = preprocessor.batchOfInputs(images, ctx.getNDManager(), skipFailures);
        ctx.setAttachment(FILES, batch.accepted());
        ctx.setAttachment(FAILURES, batch.failures());
        return new NDList(batch.images()); // (B, 3, S, S)
    }

    @Override
    @SuppressWarnings("unchecked")
    public EncodedBatch processOutput(TranslatorContext ctx, NDList features) {
        NDManager kept = ctx.getPredictorManager().newSubManager();
        features.attach(kept);
        return new EncodedBatch((List<ImageInput>) ctx.getAttachment(FILES), (List<ImageFailure>) ctx.getAttachment(FAILURES), features, kept);
    }

    /**
     * The features of the images that could be read, in their order, and the images that could not.
     *
     * @param features grid (B, L, D) and pooled (B, D)
     * @param manager  owns the features and whatever is computed from them; closed by {@link #close()}
     */
    record EncodedBatch(List<ImageInput> accepted, List<ImageFailure> failures, NDList features, NDManager manager) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }
}
