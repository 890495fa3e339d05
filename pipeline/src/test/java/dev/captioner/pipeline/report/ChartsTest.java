package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    /** Reads a PNG and checks its size; returns it. */
    static BufferedImage png(Path file, int width, int height) throws IOException {
        assertTrue(Files.size(file) > 1000, file + " is " + Files.size(file) + " bytes");
        byte[] head = new byte[8];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, "a PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    /** Distinct colours in the picture. */
    static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }

    @Test
    void barsWithErrorBarsPerModel() throws IOException {
        ScoreTable table = ScoreTables.overall("Test split", MarkdownTablesTest.runs(), MarkdownTablesTest.METRICS);
        Path png = Charts.builder().optSize(640, 400).build().bars("Test scores", table, List.of("CIDEr-D", "BLEU-4"),
                dir.resolve("charts/bars.png"));
        assertEquals(dir.resolve("charts/bars.png"), png);
        BufferedImage image = png(png, 640, 400);
        assertTrue(colours(image) > 8, "bars in colours, not a blank picture: " + colours(image));
        try (var files = Files.list(dir.resolve("charts"))) {
            assertEquals(List.of(png), files.toList(), "written atomically: no temporary file left");
        }
        assertThrows(IllegalArgumentException.class, () -> Charts.builder().build().bars("t", table, List.of("METEOR"),
                dir.resolve("x.png")));
    }

    @Test
    void trainingCurvesOneLinePerModel() throws IOException {
        Map<String, List<TrainingHistory>> runs = new LinkedHashMap<>();
        runs.put("att-lstm", List.of(TrainingHistory.read(TrainingHistoryTest.log(dir, "a1", 3, 40, 6, 0.3)),
                TrainingHistory.read(TrainingHistoryTest.log(dir, "a2", 3, 40, 5, 0.35))));
        runs.put("plain-gru", List.of(TrainingHistory.read(TrainingHistoryTest.log(dir, "p1", 2, 40, 7, 0.2))));
        Charts charts = Charts.builder().optSize(500, 300).optMaxPoints(50).build();
        BufferedImage loss = png(charts.lossCurves("Training loss", runs, dir.resolve("loss.png")), 500, 300);
        BufferedImage cider = png(charts.validationCurves("Validation CIDEr-D", runs, "CIDEr", dir.resolve("val.png")), 500, 300);
        BufferedImage byStep = png(charts.validationCurvesByStep("Validation CIDEr-D", runs, "CIDEr", dir.resolve("step.png")), 500, 300);
        assertTrue(colours(loss) > 4 && colours(cider) > 4 && colours(byStep) > 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> charts.validationCurves("v", runs, "METEOR", dir.resolve("none.png")));
        assertEquals("chart \"v\": no validation METEOR in the logs of [att-lstm, plain-gru]", e.getMessage());
    }

    @Test
    void smoothingIsTensorBoardsDebiasedMovingAverage() {
        assertArrayEquals(new double[] {1, 7.0 / 3}, Charts.smooth(new double[] {1, 3}, 0.5), 1e-12);
        assertArrayEquals(new double[] {4, 4, 4}, Charts.smooth(new double[] {4, 4, 4}, 0.9), 1e-12);
        assertArrayEquals(new double[] {1, 3}, Charts.smooth(new double[] {1, 3}, 0), 0);
        assertArrayEquals(new int[] {0, 1, 2}, Charts.thin(3, 5));
        assertArrayEquals(new int[] {0, 3, 6, 9}, Charts.thin(10, 4));
    }
}
