package dev.captioner.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Draws a {@link Scene} with OpenCV and encodes it as JPEG (quality {@value #JPEG_QUALITY}, 4:4:4 so
 * small objects keep their colour) or PNG. The background gradient is computed in Java; the objects are
 * filled, anti-aliased, at sub-pixel precision; then noise from the scene's own seed (triangular, at
 * most {@value #NOISE} per channel, from a {@link SplittableRandom}, not OpenCV's global generator) is
 * added to every pixel. The bytes depend on the scene alone.
 *
 * <p>A renderer reuses its image buffers, so it is not thread-safe: give each thread its own, and close
 * it to free the native memory.
 */
public final class SceneRenderer implements AutoCloseable {
    /** The largest noise added to a channel; the noise is the sum of two uniform nibbles minus 15. */
    public static final int NOISE = 15;
    public static final int JPEG_QUALITY = 90;
    /** Bits of sub-pixel precision for OpenCV's drawing functions. */
    private static final int SHIFT = 4;
    private static final double ONE = 1 << SHIFT;

    private final int size;
    private final String extension;
    private final Mat image;
    private final byte[] pixels;
    private final MatOfByte encoded;
    private final MatOfInt parameters;

    /** A renderer for images {@code size} pixels square, encoded as {@code "jpg"} or {@code "png"}. */
    public SceneRenderer(int size, String format) {
        OpenCvNative.load();
        this.size = SceneSampler.checkSize(size);
        this.extension = "." + checkFormat(format);
        this.image = new Mat(size, size, CvType.CV_8UC3);
        this.pixels = new byte[size * size * 3];
        this.encoded = new MatOfByte();
        this.parameters = extension.equals(".jpg")
                ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY,
                        Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444)
                : new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 1);
    }

    /** The image format names this renderer accepts: {@code jpg} and {@code png}. */
    public static String checkFormat(String format) {
        if (!"jpg".equals(format) && !"png".equals(format)) {
            throw new IllegalArgumentException("image format must be \"jpg\" or \"png\", got " + (format == null ? "null" : "\"" + format + "\""));
        }
        return format;
    }

    /** Draws the scene and returns the encoded file's bytes. */
    public byte[] encode(Scene scene) {
        draw(scene);
        if (!Imgcodecs.imencode(extension, image, encoded, parameters)) {
            throw new IllegalStateException("OpenCV could not encode a " + extension + " image");
        }
        return encoded.toArray();
    }

    /**
     * Draws the scene into this renderer's image and returns it: 8-bit BGR, {@code size × size}. The
     * image is overwritten by the next call.
     */
    public Mat draw(Scene scene) {
        if (scene.size() != size) {
            throw new IllegalArgumentException("scene " + scene.index() + " is " + scene.size() + " pixels square, this renderer draws " + size);
        }
        fillGradient(scene.background());
        image.put(0, 0, pixels);
        for (SceneObject object : scene.objects()) {
            drawObject(object);
        }
        image.get(0, 0, pixels);
        addNoise(new SplittableRandom(scene.noiseSeed()));
        image.put(0, 0, pixels);
        return image;
    }

    private void fillGradient(Background background) {
        double cos = Math.cos(background.angle());
        double sin = Math.sin(background.angle());
        // t runs from 0 to 1 across the image along the gradient's direction.
        double length = (size - 1) * (Math.abs(cos) + Math.abs(sin));
        double centre = (size - 1) / 2.0;
        double stepX = cos / length;
        int fromB = Background.blue(background.from());
        int fromG = Background.green(background.from());
        int fromR = Background.red(background.from());
        int dB = Background.blue(background.to()) - fromB;
        int dG = Background.green(background.to()) - fromG;
        int dR = Background.red(background.to()) - fromR;
        int i = 0;
        for (int y = 0; y < size; y++) {
            double t = 0.5 + (-centre * cos + (y - centre) * sin) / length;
            for (int x = 0; x < size; x++, t += stepX) {
                pixels[i++] = (byte) (fromB + (int) Math.round(t * dB));
                pixels[i++] = (byte) (fromG + (int) Math.round(t * dG));
                pixels[i++] = (byte) (fromR + (int) Math.round(t * dR));
            }
        }
    }

    private void drawObject(SceneObject object) {
        Scalar colour = new Scalar(Background.blue(object.rgb()), Background.green(object.rgb()), Background.red(object.rgb()));
        if (object.shape().isCircle()) {
            Point centre = new Point(Math.round(object.centreX() * ONE), Math.round(object.centreY() * ONE));
            Imgproc.circle(image, centre, (int) Math.round(object.radius() * ONE), colour, Imgproc.FILLED, Imgproc.LINE_AA, SHIFT);
            return;
        }
        double[] vertices = object.shape().vertices(object.centreX(), object.centreY(), object.radius());
        Point[] points = new Point[vertices.length / 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = new Point(Math.round(vertices[2 * i] * ONE), Math.round(vertices[2 * i + 1] * ONE));
        }
        MatOfPoint polygon = new MatOfPoint(points);
        List<MatOfPoint> polygons = new ArrayList<>(1);
        polygons.add(polygon);
        Imgproc.fillPoly(image, polygons, colour, Imgproc.LINE_AA, SHIFT);
        polygon.release();
    }

    private void addNoise(SplittableRandom random) {
        int n = pixels.length;
        int i = 0;
        while (i < n) {
            long bits = random.nextLong();
            for (int k = 0; k < 8 && i < n; k++, i++, bits >>>= 8) {
                int noise = (int) (bits & 15) + (int) ((bits >>> 4) & 15) - NOISE;
                int value = (pixels[i] & 0xFF) + noise;
                pixels[i] = (byte) (value < 0 ? 0 : value > 255 ? 255 : value);
            }
        }
    }

    /** The file name extension with its dot: {@code .jpg}. */
    public String extension() {
        return extension;
    }

    @Override
    public void close() {
        image.release();
        encoded.release();
        parameters.release();
    }
}
