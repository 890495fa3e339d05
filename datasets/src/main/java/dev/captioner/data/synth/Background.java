package dev.captioner.data.synth;

/**
 * A scene's background: a linear gradient from {@code from} to {@code to} (both {@code 0xRRGGBB})
 * along the direction {@code angle} (radians, 0 = left to right, image y pointing down), across the
 * whole image. Noise is added on top when the image is drawn ({@link SceneRenderer}).
 *
 * <p>Both ends are muted: a grey level in {@code [GREY_MIN, GREY_MAX]} with each channel tinted by at
 * most {@code TINT}, so no background pixel comes near a {@link Colour}.
 */
public record Background(int from, int to, double angle) {
    /** Darkest grey level of either end. */
    public static final int GREY_MIN = 50;
    /** Lightest grey level of either end. */
    public static final int GREY_MAX = 200;
    /** The most any channel strays from the grey level. */
    public static final int TINT = 15;

    public static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    public static int green(int rgb) {
        return (rgb >> 8) & 0xFF;
    }

    public static int blue(int rgb) {
        return rgb & 0xFF;
    }

    public static int rgb(int red, int green, int blue) {
        return (red << 16) | (green << 8) | blue;
    }
}
