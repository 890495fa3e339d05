package dev.captioner.decoder.model;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.encoder.image.PreprocessedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Image files to tensors and the model's output to captions, the two ends of captioning that lie outside
 * the network:
 * <ul>
 *   <li>{@link #processInput}: decode, resize, centre-crop and normalise every file into one
 *       (B, 3, S, S) array ({@link ImagePreprocessor});</li>
 *   <li>{@link #processOutput}: word ids to words through the vocabulary, each word's attention over the L
 *       locations to a {@code [rows][cols]} grid.</li>
 * </ul>
 *
 * <p>The translator takes a whole list of files and does its own batching ({@link NoBatchifyTranslator})
 * rather than letting DJL stack one image at a time: the preprocessor decodes a batch straight into one
 * float array and one NDArray (no per-image arrays and no stacking copy), captions come out with
 * different lengths (which DJL's stacking batchifier would have to pad and split again), and a file that
 * cannot be read is either reported for the whole batch or left out of it, which only a translator that
 * sees the batch can do.
 *
 * <p>With {@code skipFailures}, unreadable files are left out and listed in {@link CaptionBatch#failures()};
 * without, the first one stops the batch with its one-line {@link ImageDecodeException}.
 */
public final class CaptionTranslator implements NoBatchifyTranslator<List<Path>, CaptionBatch> {
    private static final String FILES = "files";
    private static final String FAILURES = "failures";

    private final ImagePreprocessor preprocessor;
    private final Vocabulary vocabulary;
    private final int gridRows;
    private final int gridCols;
    private final boolean skipFailures;

    /**
     * @param gridRows rows of the encoder's grid; {@code gridRows * gridCols} = L
     * @param gridCols columns of the encoder's grid
     */
    public CaptionTranslator(ImagePreprocessor preprocessor, Vocabulary vocabulary, int gridRows, int gridCols, boolean skipFailures) {
        this.preprocessor = preprocessor;
        this.vocabulary = vocabulary;
        this.gridRows = gridRows;
        this.gridCols = gridCols;
        this.skipFailures = skipFailures;
    }

    /** (B, 3, S, S) float32 for the files that could be read. */
    @Override
    public NDList processInput(TranslatorContext ctx, List<Path> files) throws ImageDecodeException {
        if (skipFailures) {
            PreprocessedBatch batch = preprocessor.batchSkippingFailures(files, ctx.getNDManager());
            ctx.setAttachment(FILES, batch.accepted());
            ctx.setAttachment(FAILURES, batch.failures());
            return new NDList(batch.images());
        }
        ctx.setAttachment(FILES, List.copyOf(files));
        ctx.setAttachment(FAILURES, List.of());
        return new NDList(preprocessor.batch(files, ctx.getNDManager())); // (B, 3, S, S)
    }

    /** The captions of the files, in order, from the {@link Hypotheses} the block returns. */
    @Override
    @SuppressWarnings("unchecked")
    public CaptionBatch processOutput(TranslatorContext ctx, NDList list) {
        List<Path> files = (List<Path>) ctx.getAttachment(FILES);
        Hypotheses found = Hypotheses.fromList(list);
        List<CaptionResult> results = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            results.add(new CaptionResult(files.get(i), found.captions(i, vocabulary, gridRows, gridCols)));
        }
        return new CaptionBatch(results, (List<ImageFailure>) ctx.getAttachment(FAILURES));
    }
}
