package dev.captioner.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Text on pictures that stays readable on any background: white letters over a dark outline (the text
 * drawn first in black, thicker). OpenCV's Hershey fonts draw ASCII only; other characters come out as '?'.
 */
final class Labels {
    private static final int FONT = Imgproc.FONT_HERSHEY_SIMPLEX;
    private static final Scalar WHITE = new Scalar(255, 255, 255);
    private static final Scalar BLACK = new Scalar(0, 0, 0);

    private Labels() {}

    /** A font scale that suits an image of this width: about 1/20 of it per line of 12 letters. */
    static double scaleFor(int width) {
        return Math.max(0.35, Math.min(1.2, width / 320.0));
    }

    /** Draws {@code text} with its top-left corner at (x, y). */
    static void draw(Mat image, String text, int x, int y, double scale) {
        int thickness = Math.max(1, (int) Math.round(scale * 1.5));
        int[] baseline = new int[1];
        double height = Imgproc.getTextSize(text, FONT, scale, thickness, baseline).height;
        Point origin = new Point(x, y + height);
        Imgproc.putText(image, text, origin, FONT, scale, BLACK, thickness + 2 * Math.max(1, thickness), Imgproc.LINE_AA);
        Imgproc.putText(image, text, origin, FONT, scale, WHITE, thickness, Imgproc.LINE_AA);
    }

    /** The height of one line of text at this scale, with spacing. */
    static int lineHeight(double scale) {
        int[] baseline = new int[1];
        return (int) Math.ceil(Imgproc.getTextSize("Ag", FONT, scale, 1, baseline).height * 1.8);
    }

    /** Words wrapped into lines no wider than {@code width} pixels at this scale (a longer word gets a line of its own). */
    static List<String> wrap(String text, int width, double scale) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int[] baseline = new int[1];
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && Imgproc.getTextSize(candidate, FONT, scale, 1, baseline).width > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
