package dev.captioner.pipeline.report;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * One word's attention drawn over the image: the {@code rows x cols} weights stretched from their minimum
 * to their maximum (so every map uses the whole colour range, as matplotlib's {@code imshow} scales the
 * maps in the usual "Show, Attend and Tell" pictures; a flat map is drawn at mid level), upsampled to the
 * crop region with bicubic interpolation, colour-mapped, blended over the region the encoder saw; the
 * rest of the image, which the encoder never saw, is dimmed. The word is written in the corner.
 */
final class AttentionOverlay {
    private final int colormap;
    private final double blend;
    private final double dim;

    AttentionOverlay(int colormap, double blend, double dim) {
        this.colormap = colormap;
        this.blend = blend;
        this.dim = dim;
    }

    /**
     * A new BGR picture, the same size as {@code bgr}.
     *
     * @param region {x, y, w, h} of the crop in the image's pixels
     * @param grid   the attention weights, {@code [rows][cols]}, row 0 at the top of the crop
     */
    Mat draw(Mat bgr, int[] region, float[][] grid, String word) {
        Mat out = new Mat();
        bgr.convertTo(out, -1, dim, 0); // (H, W, 3), dimmed everywhere first
        Rect crop = new Rect(region[0], region[1], region[2], region[3]);
        Mat heat = heatmap(grid, crop.width, crop.height);
        Mat seen = bgr.submat(crop);
        Mat target = out.submat(crop);
        Core.addWeighted(seen, 1 - blend, heat, blend, 0, target);
        Imgproc.rectangle(out, crop.tl(), crop.br(), new Scalar(255, 255, 255), 1);
        heat.release();
        seen.release();
        target.release();
        double scale = Labels.scaleFor(bgr.cols());
        int margin = Math.max(2, bgr.cols() / 80);
        Labels.draw(out, word, margin, margin, scale);
        return out;
    }

    /** The colour-mapped weights, w×h, BGR. */
    private Mat heatmap(float[][] grid, int width, int height) {
        int rows = grid.length;
        int cols = grid[0].length;
        Mat weights = new Mat(rows, cols, CvType.CV_32F);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            weights.put(r, 0, grid[r]);
            for (float v : grid[r]) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        Mat resized = new Mat();
        Imgproc.resize(weights, resized, new Size(width, height), 0, 0, Imgproc.INTER_CUBIC);
        Mat levels = new Mat();
        // level = 255 (v - min) / (max - min); bicubic overshoots a little, and convertTo saturates to 0..255.
        boolean flat = max - min < 1e-12;
        resized.convertTo(levels, CvType.CV_8U, flat ? 0 : 255.0 / (max - min), flat ? 128 : -255.0 * min / (max - min));
        Mat colour = new Mat();
        Imgproc.applyColorMap(levels, colour, colormap);
        weights.release();
        resized.release();
        levels.release();
        return colour;
    }
}
