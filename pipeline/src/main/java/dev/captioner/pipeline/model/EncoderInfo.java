package dev.captioner.pipeline.model;

/**
 * What a model package records about its encoder: how to load it and what it gives, so a package whose
 * encoder was swapped or whose weights changed is refused before it captions anything.
 *
 * @param spec        the encoder as {@link dev.captioner.encoder.EncoderSpec#parse} reads it; files
 *                    inside the package are named relative to the package root, e.g.
 *                    {@code pretrained:encoder}
 * @param inputSize   the square input side S
 * @param resizeSize  the shorter side R the image is resized to before the centre S×S crop
 * @param featureSize D, the channels of the grid
 * @param gridRows    rows of the grid the decoder attends to (the L locations are rows × cols, row by row)
 * @param gridCols    columns of that grid
 * @param identity    the encoder and a hash of its weights, as {@link dev.captioner.encoder.FeatureExtractor#identity()}
 */
public record EncoderInfo(String spec, int inputSize, int resizeSize, int featureSize, int gridRows, int gridCols,
        String identity) {

    /** L, the grid's locations. */
    public int locations() {
        return gridRows * gridCols;
    }

    /** e.g. {@code 4x4x512 at 128 px}. */
    public String describeGrid() {
        return gridRows + "x" + gridCols + "x" + featureSize + " at " + inputSize + " px";
    }
}
