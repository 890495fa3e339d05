package dev.captioner.encoder.image;

/**
 * The part of an upright image that the encoder's S×S input shows, in the image's own pixels: the
 * centre crop of {@link ImagePreprocessor} mapped back through its resize. Fractional, since the resize
 * rarely maps crop edges onto whole pixels. Attention maps are drawn over this region: the grid the
 * decoder attends to covers it and nothing else.
 *
 * @param x      left edge, from the image's left
 * @param y      top edge, from the image's top
 * @param width  width in image pixels
 * @param height height in image pixels
 */
public record CropRegion(double x, double y, double width, double height) {

    /** The region rounded to whole pixels and clipped to a {@code imageWidth}×{@code imageHeight} image: {x, y, w, h}. */
    public int[] pixels(int imageWidth, int imageHeight) {
        int left = (int) Math.max(0, Math.round(x));
        int top = (int) Math.max(0, Math.round(y));
        int right = (int) Math.min(imageWidth, Math.round(x + width));
        int bottom = (int) Math.min(imageHeight, Math.round(y + height));
        return new int[] {left, top, Math.max(1, right - left), Math.max(1, bottom - top)};
    }
}
