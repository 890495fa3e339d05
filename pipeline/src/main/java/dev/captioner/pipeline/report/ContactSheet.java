package dev.captioner.pipeline.report;

import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * One picture per image: the caption across the top, then a grid of square tiles, the original image
 * first and each word's map after it, every picture scaled to fit its tile.
 */
final class ContactSheet {
    static final int GAP = 6;
    private static final Scalar BACKGROUND = new Scalar(40, 40, 40);

    private final int tile;
    private final int maxColumns;

    ContactSheet(int tile, int maxColumns) {
        this.tile = tile;
        this.maxColumns = maxColumns;
    }

    /** Columns for {@code pictures} tiles. */
    int columns(int pictures) {
        return Math.max(1, Math.min(maxColumns, pictures));
    }

    /** The sheet's width for {@code pictures} tiles. */
    int width(int pictures) {
        int cols = columns(pictures);
        return cols * tile + (cols + 1) * GAP;
    }

    /** A new BGR sheet: {@code caption} on top, the pictures in rows below. */
    Mat draw(String caption, List<Mat> pictures) {
        int cols = columns(pictures.size());
        int rows = (pictures.size() + cols - 1) / cols;
        int width = width(pictures.size());
        double scale = Labels.scaleFor(Math.min(width, 2 * tile));
        List<String> lines = Labels.wrap(caption.isEmpty() ? "(no words)" : caption, width - 2 * GAP, scale);
        int line = Labels.lineHeight(scale);
        int top = GAP + lines.size() * line + GAP;
        Mat sheet = new Mat(top + rows * (tile + GAP), width, CvType.CV_8UC3, BACKGROUND);
        for (int i = 0; i < lines.size(); i++) {
            Labels.draw(sheet, lines.get(i), GAP, GAP + i * line, scale);
        }
        for (int i = 0; i < pictures.size(); i++) {
            int x = GAP + (i % cols) * (tile + GAP);
            int y = top + (i / cols) * (tile + GAP);
            place(sheet, pictures.get(i), x, y);
        }
        return sheet;
    }

    /** Scales a picture to fit the tile at (x, y), centred, keeping its aspect ratio. */
    private void place(Mat sheet, Mat picture, int x, int y) {
        double f = Math.min((double) tile / picture.cols(), (double) tile / picture.rows());
        int w = Math.max(1, (int) Math.round(picture.cols() * f));
        int h = Math.max(1, (int) Math.round(picture.rows() * f));
        Mat scaled = new Mat();
        Imgproc.resize(picture, scaled, new Size(w, h), 0, 0, f < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        Mat target = sheet.submat(new Rect(x + (tile - w) / 2, y + (tile - h) / 2, w, h));
        scaled.copyTo(target);
        scaled.release();
        target.release();
    }
}
