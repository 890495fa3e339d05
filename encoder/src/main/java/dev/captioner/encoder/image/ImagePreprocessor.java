package dev.captioner.encoder.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.synth.OpenCvNative;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Turns an image into the (3, S, S) float32 tensor an ImageNet-trained encoder expects, as torchvision's
 * {@code Resize(R)}, {@code CenterCrop(S)}, {@code ToTensor()}, {@code Normalize(mean, std)} do:
 * <ol>
 *   <li>Resize so the shorter side is R (default S·256/224 rounded, 256 for S = 224, 342 for 299), the
 *       longer side {@code floor(R·long/short)}. Shrinking uses {@code INTER_AREA} (a box filter, which
 *       anti-aliases like torchvision's default); enlarging uses {@code INTER_LINEAR}; R = short is
 *       left alone.</li>
 *   <li>Crop the centre S×S, the offset {@code round((side − S)/2)} with ties to even, like Python's
 *       {@code round} in torchvision's {@code center_crop}.</li>
 *   <li>Normalise each channel: {@code x = (v/255 − mean_c)/std_c}, mean (0.485, 0.456, 0.406), std
 *       (0.229, 0.224, 0.225), channels in RGB order, laid out channel-major (CHW).</li>
 * </ol>
 * An image whose long side is more than {@value #MAX_ASPECT} times its short side is first cut to that
 * aspect around its centre: the final crop only ever uses the middle {@code short·S/R} pixels of the long side,
 * so nothing it sees is lost, but a 65535×1 strip no longer resizes to gigapixels. That cut may move the
 * crop by half a pixel against torchvision; ordinary images never get it.
 *
 * <p>Pixels move in bulk: OpenCV resizes, splits and scales ({@code convertTo} with the mean and std
 * folded into one multiply-add per channel), each plane is copied out with one {@code Mat.get}, and a
 * batch becomes one NDArray through one {@code manager.create}. Deterministic, immutable and
 * thread-safe; every Mat allocated here is released here.
 */
public final class ImagePreprocessor {
    public static final int DEFAULT_INPUT_SIZE = 224;
    /** The longest aspect ratio resized whole; longer images are first cut to it around the centre. */
    public static final int MAX_ASPECT = 4;
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    private final int inputSize;
    private final int resizeSize;
    private final ImageDecoder decoder;

    ImagePreprocessor(Builder builder) {
        OpenCvNative.load();
        this.inputSize = builder.inputSize;
        this.resizeSize = builder.resizeSize > 0 ? builder.resizeSize : defaultResizeSize(builder.inputSize);
        if (resizeSize < inputSize) {
            throw new IllegalArgumentException("resize size " + resizeSize + " is smaller than the input size " + inputSize);
        }
        this.decoder = builder.decoder != null ? builder.decoder : ImageDecoder.create();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** torchvision's ratio, 256/224, rounded: 256 for 224, 342 for 299, 146 for 128. */
    public static int defaultResizeSize(int inputSize) {
        return (int) Math.round(inputSize * 256.0 / 224.0);
    }

    /** The square side S of the output. */
    public int inputSize() {
        return inputSize;
    }

    /** The shorter side R after resizing, before the crop. */
    public int resizeSize() {
        return resizeSize;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** (3, S, S), one image's shape. */
    public Shape imageShape() {
        return new Shape(3, inputSize, inputSize);
    }

    /** Decodes and preprocesses a file: (3, S, S) float32 in {@code manager}. */
    public NDArray preprocess(Path file, NDManager manager) throws ImageDecodeException {
        Mat rgb = decoder.decode(file);
        try {
            return fromRgb(rgb, manager);
        } finally {
            rgb.release();
        }
    }

    /** Decodes and preprocesses an encoded image held in memory: (3, S, S) float32 in {@code manager}. */
    public NDArray preprocess(byte[] encoded, String name, NDManager manager) throws ImageDecodeException {
        Mat rgb = decoder.decode(encoded, name);
        try {
            return fromRgb(rgb, manager);
        } finally {
            rgb.release();
        }
    }

    /** Preprocesses an upright 8-bit RGB image (CV_8UC3), as {@link ImageDecoder} makes: (3, S, S). */
    public NDArray fromRgb(Mat rgb, NDManager manager) {
        return manager.create(toChw(rgb, false), imageShape());
    }

    /** Preprocesses an upright 8-bit BGR image (CV_8UC3), OpenCV's own order: (3, S, S), still RGB. */
    public NDArray fromBgr(Mat bgr, NDManager manager) {
        return manager.create(toChw(bgr, true), imageShape());
    }

    /** The (3, S, S) values of an 8-bit RGB image, channel-major, in a new array of 3·S·S floats. */
    public float[] toChw(Mat rgb) {
        return toChw(rgb, false);
    }

    /** Writes the 3·S·S values of an 8-bit RGB image, channel-major, into {@code dst} from {@code offset}. */
    public void writeChw(Mat rgb, float[] dst, int offset) {
        writeChw(rgb, false, dst, offset);
    }

    /**
     * The resized and centre-cropped image, S×S, same type and channel order as the input, before
     * normalisation; a new Mat the caller releases.
     */
    public Mat resizeAndCrop(Mat image) {
        checkType(image);
        List<Mat> owned = new ArrayList<>(3);
        try {
            return crop(image, owned).clone();
        } finally {
            owned.forEach(Mat::release);
        }
    }

    /**
     * Decodes and preprocesses every file, stopping at the first that cannot be used.
     *
     * @return (B, 3, S, S) float32 in {@code manager}, rows in the order of {@code files}
     * @throws ImageDecodeException for the first file that cannot be used; its message names the file
     */
    public NDArray batch(List<Path> files, NDManager manager) throws ImageDecodeException {
        int per = checkBatch(files.size());
        float[] data = new float[files.size() * per];
        for (int i = 0; i < files.size(); i++) {
            decodeInto(files.get(i), data, i * per);
        }
        return manager.create(data, new Shape(files.size(), 3, inputSize, inputSize)); // (B, 3, S, S)
    }

    /**
     * Decodes and preprocesses every file that can be used and lists the rest with the reason, so the
     * caller can report them and go on.
     *
     * @return the images of the accepted files, (B, 3, S, S) float32 in {@code manager}, and the failures,
     *         both in the order of {@code files}
     */
    public PreprocessedBatch batchSkippingFailures(List<Path> files, NDManager manager) {
        int per = checkBatch(files.size());
        float[] data = new float[files.size() * per];
        List<Path> accepted = new ArrayList<>(files.size());
        List<ImageFailure> failures = new ArrayList<>();
        for (Path file : files) {
            try {
                decodeInto(file, data, accepted.size() * per);
                accepted.add(file);
            } catch (ImageDecodeException e) {
                failures.add(ImageFailure.of(file, e));
            }
        }
        int b = accepted.size();
        float[] used = b == files.size() ? data : Arrays.copyOf(data, b * per);
        NDArray images = manager.create(used, new Shape(b, 3, inputSize, inputSize)); // (B, 3, S, S)
        return new PreprocessedBatch(images, accepted, failures);
    }

    /**
     * Decodes and preprocesses every input that can be used (files or images held in memory) and lists the rest
     * with the reason; or, without {@code skipFailures}, stops at the first that cannot be used.
     *
     * @return the images of the accepted inputs, (B, 3, S, S) float32 in {@code manager}, and the failures, both in
     *         the order of {@code inputs}
     * @throws ImageDecodeException without {@code skipFailures}, for the first input that cannot be used
     */
    public PreprocessedInputs batchOfInputs(List<ImageInput> inputs, NDManager manager, boolean skipFailures)
            throws ImageDecodeException {
        int per = checkBatch(inputs.size());
        float[] data = new float[inputs.size() * per];
        List<ImageInput> accepted = new ArrayList<>(inputs.size());
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageInput input : inputs) {
            try {
                Mat rgb = input.decode(decoder);
                try {
                    writeChw(rgb, false, data, accepted.size() * per);
                } finally {
                    rgb.release();
                }
                accepted.add(input);
            } catch (ImageDecodeException e) {
                if (!skipFailures) {
                    throw e;
                }
                failures.add(ImageFailure.of(input, e));
            }
        }
        int b = accepted.size();
        float[] used = b == inputs.size() ? data : Arrays.copyOf(data, b * per);
        NDArray images = manager.create(used, new Shape(b, 3, inputSize, inputSize)); // (B, 3, S, S)
        return new PreprocessedInputs(images, accepted, failures);
    }

    /**
     * Images decoded for one batch.
     *
     * @param images   (B, 3, S, S) float32, the accepted inputs' in their order
     * @param accepted the inputs that could be used
     * @param failures the others, with their one-line reasons
     */
    public record PreprocessedInputs(NDArray images, List<ImageInput> accepted, List<ImageFailure> failures) {
        public PreprocessedInputs {
            accepted = List.copyOf(accepted);
            failures = List.copyOf(failures);
        }
    }

    private void decodeInto(Path file, float[] data, int offset) throws ImageDecodeException {
        Mat rgb = decoder.decode(file);
        try {
            writeChw(rgb, false, data, offset);
        } finally {
            rgb.release();
        }
    }

    private int checkBatch(int size) {
        int per = 3 * inputSize * inputSize;
        if ((long) size * per > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(size + " images of " + per + " floats do not fit one array; use smaller batches");
        }
        return per;
    }

    private float[] toChw(Mat image, boolean bgr) {
        float[] chw = new float[3 * inputSize * inputSize];
        writeChw(image, bgr, chw, 0);
        return chw;
    }

    /** Resize, crop, then per channel c: {@code x = v·(1/(255·std_c)) − mean_c/std_c} as float32. */
    private void writeChw(Mat image, boolean bgr, float[] dst, int offset) {
        checkType(image);
        int plane = inputSize * inputSize;
        if (offset < 0 || dst.length - offset < 3 * plane) {
            throw new IllegalArgumentException("need " + 3 * plane + " floats from offset " + offset + ", the array has " + dst.length);
        }
        List<Mat> owned = new ArrayList<>(8);
        try {
            Mat cropped = crop(image, owned);
            List<Mat> planes = new ArrayList<>(3);
            Core.split(cropped, planes);
            owned.addAll(planes);
            Mat scaled = new Mat();
            owned.add(scaled);
            float[] values = new float[plane];
            for (int c = 0; c < 3; c++) {
                Mat source = planes.get(bgr ? 2 - c : c);
                source.convertTo(scaled, CvType.CV_32F, 1.0 / (255.0 * STD[c]), -MEAN[c] / STD[c]);
                scaled.get(0, 0, values);
                System.arraycopy(values, 0, dst, offset + c * plane, plane);
            }
        } finally {
            owned.forEach(Mat::release);
        }
    }

    /**
     * Where the S×S input lies in an upright {@code width}×{@code height} image: the centre crop
     * (after the cut to {@value #MAX_ASPECT}:1 and the resize) mapped back to the image's pixels.
     */
    public CropRegion cropRegion(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        int cutFrom = 0;
        int kept = longSide;
        if (longSide > (long) MAX_ASPECT * shortSide) { // as cutToAspect
            kept = MAX_ASPECT * shortSide;
            kept += (longSide - kept) % 2;
            cutFrom = (longSide - kept) / 2;
        }
        int regionWidth = width > height ? kept : width;
        int regionHeight = width > height ? height : kept;
        int[] size = resizedSize(regionWidth, regionHeight, resizeSize);
        double scaleX = (double) regionWidth / size[0];
        double scaleY = (double) regionHeight / size[1];
        double x = (width > height ? cutFrom : 0) + centreOffset(size[0], inputSize) * scaleX;
        double y = (width > height ? 0 : cutFrom) + centreOffset(size[1], inputSize) * scaleY;
        return new CropRegion(x, y, inputSize * scaleX, inputSize * scaleY);
    }

    /** The S×S centre crop as a view; Mats made on the way are added to {@code owned}. */
    private Mat crop(Mat image, List<Mat> owned) {
        Mat region = cutToAspect(image);
        if (region != image) {
            owned.add(region);
        }
        int[] size = resizedSize(region.cols(), region.rows(), resizeSize);
        Mat resized = region;
        if (size[0] != region.cols() || size[1] != region.rows()) {
            resized = new Mat();
            owned.add(resized);
            boolean shrink = size[0] < region.cols();
            Imgproc.resize(region, resized, new Size(size[0], size[1]), 0, 0, shrink ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        }
        int left = centreOffset(size[0], inputSize);
        int top = centreOffset(size[1], inputSize);
        Mat cropped = resized.submat(new Rect(left, top, inputSize, inputSize));
        owned.add(cropped);
        return cropped;
    }

    /** A view of the centre at most {@value #MAX_ASPECT}:1, with as many pixels cut from each end. */
    private static Mat cutToAspect(Mat image) {
        int w = image.cols();
        int h = image.rows();
        long shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        if (longSide <= MAX_ASPECT * shortSide) {
            return image;
        }
        int keep = (int) (MAX_ASPECT * shortSide);
        keep += (longSide - keep) % 2; // same parity, so the cut is the same at both ends
        int from = (longSide - keep) / 2;
        return w > h ? image.colRange(from, from + keep) : image.rowRange(from, from + keep);
    }

    /** (width, height) with the shorter side {@code r}, the longer {@code floor(r·long/short)} as torchvision. */
    static int[] resizedSize(int width, int height, int r) {
        if (width <= height) {
            return new int[] {r, (int) ((double) r * height / width)};
        }
        return new int[] {(int) ((double) r * width / height), r};
    }

    /** {@code round((side − crop)/2)}, ties to even, as Python's {@code round}. */
    static int centreOffset(int side, int crop) {
        return (int) Math.rint((side - crop) / 2.0);
    }

    private static void checkType(Mat image) {
        if (image.empty() || image.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit 3-channel image (CV_8UC3), got "
                    + (image.empty() ? "an empty Mat" : CvType.typeToString(image.type())));
        }
    }

    /** Settings for an {@link ImagePreprocessor}; every one has a default. */
    public static final class Builder {
        private int inputSize = DEFAULT_INPUT_SIZE;
        private int resizeSize;
        private ImageDecoder decoder;

        Builder() {}

        /** The square side S of the output; default {@value ImagePreprocessor#DEFAULT_INPUT_SIZE}. */
        public Builder optInputSize(int inputSize) {
            if (inputSize < 1) {
                throw new IllegalArgumentException("input size must be positive, got " + inputSize);
            }
            this.inputSize = inputSize;
            return this;
        }

        /** The shorter side R after resizing, at least S; default {@link #defaultResizeSize(int) S·256/224}. */
        public Builder optResizeSize(int resizeSize) {
            if (resizeSize < 1) {
                throw new IllegalArgumentException("resize size must be positive, got " + resizeSize);
            }
            this.resizeSize = resizeSize;
            return this;
        }

        /** The decoder for files and bytes; default {@link ImageDecoder#create()}, with its limits. */
        public Builder optDecoder(ImageDecoder decoder) {
            this.decoder = decoder;
            return this;
        }

        public ImagePreprocessor build() {
            return new ImagePreprocessor(this);
        }
    }
}
