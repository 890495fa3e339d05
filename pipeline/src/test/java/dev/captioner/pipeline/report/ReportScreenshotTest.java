package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.captioner.data.synth.OpenCvNative;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Opens the HTML report in headless Chromium, as a person would, and checks the screenshot: the page
 * is drawn (the window's size, far from blank, many colours), and the first image's attention pictures
 * are on it pixel for pixel. Skipped where no {@code chromium} is on the PATH (Debian:
 * {@code apt-get install chromium}).
 */
class ReportScreenshotTest {
    static final int WIDTH = 1200;
    static final int HEIGHT = 900;

    @TempDir
    Path dir;

    /** The first of {@code chromium}, {@code chromium-browser} found executable on the PATH, or null. */
    static Path chromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder.isEmpty() ? "." : folder, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    @Test
    void theReportAsChromiumDrawsIt() throws IOException, InterruptedException {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
                "no chromium on the PATH: the screenshot test of the HTML report is skipped (Debian: apt-get install chromium)");
        OpenCvNative.load();
        ReportFixture fixture = new ReportFixture(dir.resolve("data"));
        // Pictures shown at their own size, so they appear on the screenshot pixel for pixel.
        Path index = fixture.report().optImageWidth(96).optMapWidth(96).build().write(dir.resolve("report"));
        Path screenshot = dir.resolve("screenshot.png");
        Path log = dir.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"),
                "--screenshot=" + screenshot, "--window-size=" + WIDTH + "," + HEIGHT, index.toUri().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not finish in 120 s:\n" + tail(log));
        }
        assertTrue(Files.exists(screenshot), "chromium wrote no screenshot (exit " + process.exitValue() + "):\n" + tail(log));

        Mat shot = Imgcodecs.imread(screenshot.toString()); // BGR
        assertEquals(WIDTH, shot.cols(), "the window's width");
        assertEquals(HEIGHT, shot.rows(), "the window's height");
        int[] counts = inkAndColours(shot);
        assertTrue(counts[0] > WIDTH * HEIGHT / 50, "text, tables and pictures, not a blank page: " + counts[0] + " pixels not white");
        assertTrue(counts[1] > 200, "pictures in colour: " + counts[1] + " colours");

        Path maps = index.getParent().resolve("maps/att-lstm/000000-0");
        for (String word : List.of("00_a.png", "01_red.png", "02_circle.png")) {
            double match = bestMatch(shot, Imgcodecs.imread(maps.resolve(word).toString()));
            assertTrue(match > 0.95, "the attention picture " + word + " is on the page (best match " + match + ")");
        }
        double photo = bestMatch(shot, Imgcodecs.imread(fixture.images.get(0).file().toString()));
        assertTrue(photo > 0.95, "the first image is on the page (best match " + photo + ")");
    }

    /** {pixels that are not near-white, distinct colours at 5 bits a channel}. */
    static int[] inkAndColours(Mat bgr) {
        byte[] pixels = new byte[(int) (bgr.total() * bgr.channels())];
        bgr.get(0, 0, pixels);
        int ink = 0;
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < pixels.length; i += 3) {
            int b = pixels[i] & 0xff;
            int g = pixels[i + 1] & 0xff;
            int r = pixels[i + 2] & 0xff;
            if (b < 235 || g < 235 || r < 235) {
                ink++;
            }
            colours.add((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3));
        }
        return new int[] {ink, colours.size()};
    }

    /** The best normalised correlation of {@code picture} anywhere on {@code page}. */
    static double bestMatch(Mat page, Mat picture) {
        Mat result = new Mat();
        Imgproc.matchTemplate(page, picture, result, Imgproc.TM_CCOEFF_NORMED);
        double best = Core.minMaxLoc(result).maxVal;
        result.release();
        return best;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
