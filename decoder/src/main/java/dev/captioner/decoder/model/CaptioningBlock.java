package dev.captioner.decoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.ImageEncoder;

/**
 * Preprocessed images to captions as one DJL block, so that a {@link ai.djl.inference.Predictor} runs it
 * between the two halves of {@link CaptionTranslator}:
 * <pre>
 *   images (B, 3, S, S) → encoder → grid (B, L, D), pooled (B, D) → search over the decoder → {@link Hypotheses} as an NDList
 * </pre>
 * The decoder is the child {@code decoder}; the encoder is used, not owned (its weights live in its own
 * model), and the search is a policy object ({@link CaptionSearch}), kept apart from the decoder.
 */
final class CaptioningBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ImageEncoder encoder;
    private final CaptionDecoder decoder;
    private final CaptionSearch search;
    private final int locations;

    CaptioningBlock(ImageEncoder encoder, CaptionDecoder decoder, CaptionSearch search) {
        super(VERSION);
        this.encoder = encoder;
        this.decoder = addChildBlock("decoder", decoder);
        this.search = search;
        this.locations = decoder.config().attention() ? encoder.locations() : 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.head(); // (B, 3, S, S)
        Hypotheses found;
        if (images.getShape().get(0) == 0) {
            found = new Hypotheses(new int[0][][], new float[0][][][], new float[0][]);
        } else {
            EncodedImages features = encoder.encode(images); // (B, L, D), (B, D)
            found = search.run(decoder, decoder.config().attention() ? features.grid() : null, features.pooled());
        }
        return found.toList(images.getManager(), search.maxLength(), locations);
    }

    /** (B, 3, S, S) gives words (B, 1, T), lengths (B, 1), log-probabilities (B, 1) and alphas (B, 1, T, L). */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        int t = search.maxLength();
        return new Shape[] {new Shape(b, 1, t), new Shape(b, 1), new Shape(b, 1), new Shape(b, 1, t, locations)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int d = decoder.config().featureSize();
        decoder.initialize(manager, dataType, new Shape(b, encoder.locations(), d), new Shape(b, d), new Shape(b, 1));
    }
}
