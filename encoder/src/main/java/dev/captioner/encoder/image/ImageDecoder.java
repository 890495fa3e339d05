package dev.captioner.encoder.image;

import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.encoder.image.ImageDecodeException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Decodes a JPEG, PNG, BMP or WebP file into an upright 8-bit RGB {@link Mat} (CV_8UC3), or says in one
 * line, naming the file, why it cannot ({@link ImageDecodeException}).
 *
 * <p>The steps, in order:
 * <ol>
 *   <li>File size: zero bytes is refused as empty; more than {@link #maxFileBytes()} (default
 *       {@value #DEFAULT_MAX_FILE_BYTES} bytes, 64 MiB) as too large, before the file is read.</li>
 *   <li>Signature: the leading bytes, never the file name, pick the format.</li>
 *   <li>Header ({@link ImageHeader}): the stored size is checked against {@link #maxPixels()} (default
 *       {@value #DEFAULT_MAX_PIXELS}, 50 megapixels) and {@value #MAX_SIDE} pixels a side <em>before</em>
 *       decoding, so a decompression bomb is refused without its pixels being allocated; then a file cut
 *       short is refused as truncated (OpenCV would decode a JPEG without its tail into grey rows).</li>
 *   <li>OpenCV decodes with {@code IMREAD_UNCHANGED}, to see the real depth and channels. In OpenCV 4.9
 *       that flag also ignores the EXIF orientation, which every other flag applies; so the orientation
 *       is read here from the header and applied last, the same way OpenCV does.</li>
 *   <li>Conversion to 8-bit RGB: 16-bit samples are divided by 257 (65535 → 255, rounded); grey is
 *       copied to R, G and B; BGR becomes RGB; an alpha channel is <em>composited over white</em>,
 *       {@code c' = 255 − (255 − c)·a/255}, so transparent areas look as a viewer on a white page shows
 *       them rather than exposing whatever colour hides under alpha 0. Palette PNGs arrive expanded
 *       (with alpha if they have a tRNS chunk); grey+alpha PNGs arrive as BGRA.</li>
 * </ol>
 *
 * <p>Decoding is deterministic. A decoder is immutable and thread-safe; each call allocates its own
 * Mats, and the caller releases the one returned.
 */
public final class ImageDecoder {
    /** Default pixel limit: 50 megapixels, e.g. 8660×5773 or 10000×5000. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** Default file-size limit: 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    /** The longest side accepted, whatever the pixel limit: JPEG's own limit. */
    public static final int MAX_SIDE = 65_535;

    private static volatile Boolean webpBuiltIn;

    private final long maxPixels;
    private final long maxFileBytes;

    ImageDecoder(Builder builder) {
        OpenCvNative.load();
        this.maxPixels = builder.maxPixels;
        this.maxFileBytes = builder.maxFileBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A decoder with the default limits. */
    public static ImageDecoder create() {
        return builder().build();
    }

    public long maxPixels() {
        return maxPixels;
    }

    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** Decodes a file into a new upright 8-bit RGB Mat; the caller releases it. */
    public Mat decode(Path file) throws ImageDecodeException {
        return decode(read(file), file.toString());
    }

    /**
     * Decodes an encoded image held in memory into a new upright 8-bit RGB Mat; the caller releases it.
     *
     * @param name what messages call the image, e.g. its path or URL
     */
    public Mat decode(byte[] encoded, String name) throws ImageDecodeException {
        ImageHeader header = check(encoded, name);
        Mat raw = imdecode(encoded, header, name);
        Mat rgb;
        try {
            rgb = toRgb8(raw, name);
        } finally {
            raw.release();
        }
        Mat upright = header.orientation().apply(rgb);
        if (upright != rgb) {
            rgb.release();
        }
        return upright;
    }

    /**
     * Checks an encoded image held in memory without decoding it: the size limits, then truncation.
     *
     * @param name what messages call the image
     */
    public ImageHeader readHeader(byte[] encoded, String name) throws ImageDecodeException {
        return check(encoded, name);
    }

    /** Reads and checks a file's header without decoding it: the size limits, then truncation. */
    public ImageHeader readHeader(Path file) throws ImageDecodeException {
        return check(read(file), file.toString());
    }

    /** Checks the file size, reads the whole file. */
    private byte[] read(Path file) throws ImageDecodeException {
        String source = file.toString();
        try {
            if (!Files.exists(file)) {
                throw new ImageDecodeException(source, Kind.MISSING, "no such file");
            }
            if (!Files.isRegularFile(file)) {
                throw new ImageDecodeException(source, Kind.UNREADABLE, "not a regular file");
            }
            long size = Files.size(file);
            checkFileSize(size, source);
            byte[] bytes = Files.readAllBytes(file);
            checkFileSize(bytes.length, source); // it may have changed since
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(source, Kind.MISSING, "no such file");
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(source, Kind.UNREADABLE, "permission denied");
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException(source, Kind.UNREADABLE, "cannot read (" + e + ")");
        }
    }

    private void checkFileSize(long size, String source) throws ImageDecodeException {
        if (size == 0) {
            throw new ImageDecodeException(source, Kind.EMPTY, "empty file (0 bytes)");
        }
        if (size > maxFileBytes) {
            throw new ImageDecodeException(source, Kind.TOO_LARGE, "file too large (" + size + " bytes, limit " + maxFileBytes + ")");
        }
    }

    /** The header, once the size limits and completeness are checked. */
    private ImageHeader check(byte[] encoded, String name) throws ImageDecodeException {
        checkFileSize(encoded.length, name);
        ImageHeader header = ImageHeader.parse(encoded, name);
        if (header.pixels() > maxPixels || header.width() > MAX_SIDE || header.height() > MAX_SIDE) {
            throw new ImageDecodeException(name, Kind.TOO_LARGE, String.format(Locale.ROOT,
                    "image too large (%dx%d = %.1f MP; limits %.1f MP and %d pixels a side)",
                    header.width(), header.height(), header.pixels() / 1e6, maxPixels / 1e6, MAX_SIDE));
        }
        if (!header.isComplete()) {
            throw new ImageDecodeException(name, Kind.TRUNCATED, header.truncation());
        }
        return header;
    }

    private static Mat imdecode(byte[] encoded, ImageHeader header, String name) throws ImageDecodeException {
        MatOfByte buffer = new MatOfByte(encoded);
        Mat raw;
        try {
            raw = Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_UNCHANGED);
        } catch (RuntimeException e) { // CvException
            throw new ImageDecodeException(name, Kind.CORRUPT, "OpenCV could not decode the " + header.format() + " data (" + e.getMessage() + ")");
        } finally {
            buffer.release();
        }
        if (raw.empty()) {
            raw.release();
            if (header.format() == ImageFormat.WEBP && !webpBuiltIn()) {
                throw new ImageDecodeException(name, Kind.UNSUPPORTED, "this OpenCV build cannot decode WebP");
            }
            throw new ImageDecodeException(name, Kind.CORRUPT, "corrupt " + header.format() + " (OpenCV could not decode it)");
        }
        if (raw.cols() != header.width() || raw.rows() != header.height()) {
            String problem = "corrupt " + header.format() + " (decoded " + raw.cols() + "x" + raw.rows()
                    + ", the header says " + header.width() + "x" + header.height() + ")";
            raw.release();
            throw new ImageDecodeException(name, Kind.CORRUPT, problem);
        }
        return raw;
    }

    /** Whether this OpenCV build was compiled with a WebP codec (its build information says so). */
    static boolean webpBuiltIn() {
        Boolean built = webpBuiltIn;
        if (built == null) {
            built = Core.getBuildInformation().lines()
                    .anyMatch(line -> line.strip().startsWith("WEBP:") && !line.strip().endsWith("NO"));
            webpBuiltIn = built;
        }
        return built;
    }

    /** 8 or 16 bits, 1, 3 or 4 channels (OpenCV's BGR order) → a new 8-bit RGB Mat. */
    private static Mat toRgb8(Mat raw, String name) throws ImageDecodeException {
        int depth = raw.depth();
        int channels = raw.channels();
        if ((depth != CvType.CV_8U && depth != CvType.CV_16U) || (channels != 1 && channels != 3 && channels != 4)) {
            throw new ImageDecodeException(name, Kind.UNSUPPORTED, "unsupported pixel type " + CvType.typeToString(raw.type()));
        }
        Mat eight = raw;
        if (depth == CvType.CV_16U) {
            eight = new Mat();
            raw.convertTo(eight, CvType.CV_8U, 1.0 / 257.0);
        }
        Mat rgb = new Mat();
        try {
            switch (channels) {
                case 1 -> Imgproc.cvtColor(eight, rgb, Imgproc.COLOR_GRAY2RGB);
                case 3 -> Imgproc.cvtColor(eight, rgb, Imgproc.COLOR_BGR2RGB);
                default -> compositeOverWhite(eight, rgb);
            }
        } finally {
            if (eight != raw) {
                eight.release();
            }
        }
        return rgb;
    }

    /**
     * BGRA → RGB over a white background: {@code c' = 255 − (255 − c)·a/255} per channel, in float,
     * rounded to nearest (ties to even).
     */
    private static void compositeOverWhite(Mat bgra, Mat rgb) {
        List<Mat> planes = new ArrayList<>(4);
        Core.split(bgra, planes);
        Mat alpha = new Mat();
        planes.get(3).convertTo(alpha, CvType.CV_32F, 1.0 / 255.0);
        Mat plane = new Mat();
        List<Mat> rgbPlanes = new ArrayList<>(3);
        for (int c = 2; c >= 0; c--) { // B, G, R → R, G, B
            Mat source = planes.get(c);
            source.convertTo(plane, CvType.CV_32F, -1.0, 255.0); // 255 − c
            Core.multiply(plane, alpha, plane); // (255 − c)·a
            Mat out = new Mat();
            plane.convertTo(out, CvType.CV_8U, -1.0, 255.0); // 255 − (255 − c)·a
            rgbPlanes.add(out);
        }
        Core.merge(rgbPlanes, rgb);
        for (Mat m : planes) {
            m.release();
        }
        for (Mat m : rgbPlanes) {
            m.release();
        }
        alpha.release();
        plane.release();
    }

    /** Settings for an {@link ImageDecoder}; every one has a default. */
    public static final class Builder {
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;

        Builder() {}

        /** The most pixels (width × height, as stored) an image may have; default 50 megapixels. */
        public Builder optMaxPixels(long maxPixels) {
            if (maxPixels < 1) {
                throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
            }
            this.maxPixels = maxPixels;
            return this;
        }

        /** The largest file accepted, in bytes; default 64 MiB. At most 2³¹−9, a Java array's limit. */
        public Builder optMaxFileBytes(long maxFileBytes) {
            if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxFileBytes must be in [1, " + (Integer.MAX_VALUE - 8) + "], got " + maxFileBytes);
            }
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        public ImageDecoder build() {
            return new ImageDecoder(this);
        }
    }
}
