package dev.captioner.pipeline.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.ImageEncoder;

/**
 * The encoder as the DJL block a {@link ai.djl.inference.Predictor} runs between the two halves of
 * {@link ImageTranslator}:
 * <pre>
 *   images (B, 3, S, S) → encoder → grid (B, L, D), pooled (B, D)
 * </pre>
 * The search is not part of it: it runs on the features in Java and returns Java captions, so captions
 * never travel through tensors. The encoder is used, not owned (its weights live in its own model).
 */
final class EncodingBlock extends AbstractBlock {
    private static final byte VERSION = 2;

    private final ImageEncoder encoder;

    EncodingBlock(ImageEncoder encoder) {
        super(VERSION);
        this.encoder = encoder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.head().getShape().get(0) == 0) { // every file of the batch failed
            NDManager manager = inputs.head().getManager();
            return new NDList(manager.zeros(new Shape(0, encoder.locations(), encoder.featureSize())), // (0, L, D)
                    manager.zeros(new Shape(0, encoder.featureSize()))); // (0, D)
        }
        EncodedImages features = encoder.encode(inputs.head()); // (B, L, D), (B, D)
        return features.toList();
    }

    /** (B, 3, S, S) gives the grid (B, L, D) and the pooled vector (B, D). */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, encoder.locations(), encoder.featureSize()), new Shape(b, encoder.featureSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: the encoder's weights are loaded with it
    }
}
