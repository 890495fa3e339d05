package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.BoundingBox;
import java.util.BitSet;

/**
 * The part of an image that an attention grid covers, in the image's own pixels: for the project's
 * encoders, the centre crop the encoder saw ({@code ImagePreprocessor.cropRegion(width, height)} in the
 * encoder module gives it as a {@code CropRegion} with the same four numbers). Plain numbers, so that the
 * metric needs nothing but the datasets module.
 *
 * <p>Cell {@code (r, c)} of a {@code rows × cols} grid covers {@code [x + c·w/cols, x + (c+1)·w/cols) ×
 * [y + r·h/rows, y + (r+1)·h/rows)}; row 0 is at the top.
 *
 * @param x      left edge, from the image's left
 * @param y      top edge, from the image's top
 * @param width  width in image pixels
 * @param height height in image pixels
 */
public record GridRegion(double x, double y, double width, double height) {
    public GridRegion {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(width > 0) || !(height > 0)
                || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("a grid region needs a finite position and a positive size, got x " + x
                    + ", y " + y + ", " + width + "x" + height);
        }
    }

    /** The whole of a {@code width × height} image: what a grid covers when the encoder saw all of it. */
    public static GridRegion wholeImage(int width, int height) {
        return new GridRegion(0, 0, width, height);
    }

    /**
     * The cells of a {@code rows × cols} grid whose centre lies in {@code box} ({@code [x, x+w) × [y, y+h)}), numbered row
     * by row as the grid's L locations; empty where the box lies between centres.
     */
    public BitSet cellsCentredIn(BoundingBox box, int rows, int cols) {
        BitSet cells = new BitSet(rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double[] centre = cellCentre(r, c, rows, cols);
                if (centre[0] >= box.x() && centre[0] < box.right() && centre[1] >= box.y() && centre[1] < box.bottom()) {
                    cells.set(r * cols + c);
                }
            }
        }
        return cells;
    }

    /** The cell of a {@code rows × cols} grid that holds the point {@code (px, py)}, row by row; points outside take the nearest edge cell. */
    public int cellAt(double px, double py, int rows, int cols) {
        int c = Math.max(0, Math.min(cols - 1, (int) Math.floor((px - x) * cols / width)));
        int r = Math.max(0, Math.min(rows - 1, (int) Math.floor((py - y) * rows / height)));
        return r * cols + c;
    }

    /** The centre of cell {@code (row, col)} of a {@code rows × cols} grid, in image pixels: {x, y}. */
    public double[] cellCentre(int row, int col, int rows, int cols) {
        return new double[] {x + (col + 0.5) * width / cols, y + (row + 0.5) * height / rows};
    }
}
