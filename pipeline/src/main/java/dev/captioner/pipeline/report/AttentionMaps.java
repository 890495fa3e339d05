package dev.captioner.pipeline.report;

import dev.captioner.data.AtomicFile;
import dev.captioner.data.FileTrees;
import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Pictures of where the decoder looked: for each word of a caption, its attention over the encoder's grid
 * drawn over the image ({@code NN_word.png}), and one contact sheet with the caption, the image and every
 * word's map ({@code sheet.png}), in a folder per image:
 * <pre>
 *   OUT/&lt;image-stem&gt;/00_a.png, 01_red.png, ..., sheet.png
 * </pre>
 *
 * <p><b>Where the maps go.</b> The encoder sees only the centre crop of the image (the shorter side resized
 * to R, then the centre S×S; see {@link ImagePreprocessor}), and its grid covers that crop and nothing
 * else. So each map is upsampled to the crop's region in the original image
 * ({@link ImagePreprocessor#cropRegion}), drawn there, and the rest of the image, which the encoder never
 * saw, is dimmed and framed off. With the project's own encoder (R = S) the crop is the whole image,
 * for a square image, as synth-scenes are.
 *
 * <p>Each map is stretched from its own minimum to its maximum, so the colours show where a word looked
 * most and least, not how peaked its attention was (a nearly flat map looks as contrasted as a sharp one). The word pictures keep the image's size. A plain decoder has no attention: only the
 * sheet, with the image and the caption, is written. The folder is written under a temporary name and
 * renamed into place, replacing an older one whole.
 */
public final class AttentionMaps {
    private final AttentionOverlay overlay;
    private final ContactSheet sheet;

    AttentionMaps(Builder builder) {
        OpenCvNative.load();
        this.overlay = new AttentionOverlay(builder.colormap, builder.blend, 0.45);
        this.sheet = new ContactSheet(builder.tileSize, builder.columns);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What was written for one image. */
    public record Written(Path folder, List<Path> words, Path sheet) {
        public Written {
            words = List.copyOf(words);
        }
    }

    /** The folder an image's pictures go to under {@code root}: its file name without the extension. */
    public static Path folderFor(Path root, Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return root.resolve(dot > 0 ? name.substring(0, dot) : name);
    }

    /**
     * Decodes the image as the captioner did and writes its pictures into {@link #folderFor folderFor(root, image)}.
     *
     * @param preprocessor the captioner's ({@code Captioner.preprocessor()}): its decoder and crop
     * @throws ImageDecodeException with one line naming the file where it cannot be read
     */
    public Written write(Path image, CaptionResult result, ImagePreprocessor preprocessor, Path root) throws IOException {
        Mat rgb = preprocessor.decoder().decode(image);
        try {
            return write(rgb, preprocessor.cropRegion(rgb.cols(), rgb.rows()), result.best(), folderFor(root, image));
        } finally {
            rgb.release();
        }
    }

    /**
     * Writes the pictures of one caption into {@code folder}.
     *
     * @param rgb  the upright 8-bit RGB image, as {@link dev.captioner.encoder.image.ImageDecoder} gives it
     * @param crop where the encoder's input lies in it
     */
    public Written write(Mat rgb, CropRegion crop, Caption caption, Path folder) throws IOException {
        Mat bgr = new Mat();
        Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
        List<Mat> pictures = new ArrayList<>();
        pictures.add(bgr);
        Path parent = Files.createDirectories(folder.toAbsolutePath().getParent());
        Path tmp = Files.createTempDirectory(parent, "." + folder.getFileName() + ".");
        try {
            int[] region = crop.pixels(bgr.cols(), bgr.rows());
            List<Path> words = new ArrayList<>();
            int digits = Math.max(2, String.valueOf(Math.max(0, caption.attention().size() - 1)).length());
            for (int t = 0; t < caption.attention().size(); t++) {
                String word = caption.words().get(t);
                Mat map = overlay.draw(bgr, region, caption.attention().get(t), word);
                pictures.add(map);
                String name = String.format(Locale.ROOT, "%0" + digits + "d_%s.png", t, fileSafe(word));
                writePng(tmp.resolve(name), map);
                words.add(folder.resolve(name));
            }
            Mat contact = sheet.draw(caption.text(), pictures);
            writePng(tmp.resolve("sheet.png"), contact);
            contact.release();
            FileTrees.replace(folder, tmp);
            return new Written(folder, words, folder.resolve("sheet.png"));
        } finally {
            pictures.forEach(Mat::release);
            FileTrees.delete(tmp);
        }
    }

    /**
     * Each word's picture of one caption as PNG bytes, in memory (for a service's answer): the same overlay as
     * {@link #write}, without the contact sheet.
     *
     * @param rgb  the upright 8-bit RGB image, as {@link dev.captioner.encoder.image.ImageDecoder} gives it
     * @param crop where the encoder's input lies in it
     */
    public List<byte[]> wordPngs(Mat rgb, CropRegion crop, Caption caption) throws IOException {
        Mat bgr = new Mat();
        Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
        List<byte[]> pngs = new ArrayList<>(caption.attention().size());
        MatOfByte png = new MatOfByte();
        try {
            int[] region = crop.pixels(bgr.cols(), bgr.rows());
            for (int t = 0; t < caption.attention().size(); t++) {
                Mat map = overlay.draw(bgr, region, caption.attention().get(t), caption.words().get(t));
                try {
                    if (!Imgcodecs.imencode(".png", map, png)) {
                        throw new IOException("OpenCV could not encode the map of '" + caption.words().get(t) + "' as PNG");
                    }
                    pngs.add(png.toArray());
                } finally {
                    map.release();
                }
            }
            return pngs;
        } finally {
            bgr.release();
            png.release();
        }
    }

    /** Letters, digits and '-' kept, anything else '_': {@code <unk>} becomes {@code _unk_}. */
    static String fileSafe(String word) {
        String safe = word.replaceAll("[^A-Za-z0-9-]", "_");
        return safe.isEmpty() ? "_" : safe;
    }

    private static void writePng(Path file, Mat bgr) throws IOException {
        MatOfByte png = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", bgr, png)) {
                throw new IOException(file + ": OpenCV could not encode the picture as PNG");
            }
            AtomicFile.write(file, png.toArray());
        } finally {
            png.release();
        }
    }

    /** Settings for {@link AttentionMaps}; every one has a default. */
    public static final class Builder {
        private int tileSize = 192;
        private int columns = 5;
        private double blend = 0.5;
        private int colormap = Imgproc.COLORMAP_JET;

        Builder() {}

        /** The side of a contact-sheet tile in pixels; default 192. */
        public Builder optTileSize(int tileSize) {
            if (tileSize < 16) {
                throw new IllegalArgumentException("tile size must be at least 16 pixels, got " + tileSize);
            }
            this.tileSize = tileSize;
            return this;
        }

        /** Tiles per row of the contact sheet; default 5. */
        public Builder optColumns(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("columns must be at least 1, got " + columns);
            }
            this.columns = columns;
            return this;
        }

        /** How much of the colour map covers the image, in (0, 1]; default 0.5. */
        public Builder optBlend(double blend) {
            if (!(blend > 0 && blend <= 1)) {
                throw new IllegalArgumentException("blend must be in (0, 1], got " + blend);
            }
            this.blend = blend;
            return this;
        }

        /** An OpenCV colour map, {@code Imgproc.COLORMAP_*}; default JET. */
        public Builder optColormap(int colormap) {
            this.colormap = colormap;
            return this;
        }

        public AttentionMaps build() {
            return new AttentionMaps(this);
        }
    }
}
