package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

class SceneRendererTest {

    @BeforeAll
    static void loadOpenCv() {
        OpenCvNative.load();
    }

    @Test
    void filledObjectsHaveTheirColourAtTheCentreOfTheirBox() {
        SceneSampler sampler = new SceneSampler(96, 9);
        SplittableRandom random = new SplittableRandom(8);
        int checked = 0;
        try (SceneRenderer renderer = new SceneRenderer(96, "png")) {
            for (int i = 0; i < 40; i++) {
                Scene scene = sampler.sample(i, random);
                Mat image = renderer.draw(scene);
                for (SceneObject o : scene.objects()) {
                    if (o.shape() != Shape.CIRCLE && o.shape() != Shape.SQUARE) {
                        continue;
                    }
                    double[] bgr = image.get((int) o.box().centreY(), (int) o.box().centreX());
                    int[] drawn = {Background.blue(o.rgb()), Background.green(o.rgb()), Background.red(o.rgb())};
                    int[] nominal = {o.colour().blue(), o.colour().green(), o.colour().red()};
                    for (int c = 0; c < 3; c++) {
                        assertTrue(Math.abs(bgr[c] - drawn[c]) <= SceneRenderer.NOISE, "noise only, " + o.describe());
                        assertTrue(Math.abs(bgr[c] - nominal[c]) <= SceneRenderer.NOISE + Colour.JITTER, "jitter and noise only, " + o.describe());
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "checked " + checked);
    }

    @Test
    void drawingDependsOnTheSceneAlone() {
        Scene scene = new SceneSampler(128, 4).sample(0, new SplittableRandom(2));
        Scene otherNoise = new Scene(0, 128, scene.background(), scene.objects(), scene.noiseSeed() + 1);
        byte[] first;
        byte[] second;
        byte[] third;
        try (SceneRenderer a = new SceneRenderer(128, "png"); SceneRenderer b = new SceneRenderer(128, "png")) {
            first = pixels(a.draw(scene));
            a.draw(otherNoise);
            second = pixels(a.draw(scene));
            third = pixels(b.draw(otherNoise));
        }
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, third), "the noise seed changes the noise");
    }

    @Test
    void pngIsLosslessAndJpegDecodesToTheSameSize() {
        Scene scene = new SceneSampler(100, 4).sample(0, new SplittableRandom(6));
        try (SceneRenderer png = new SceneRenderer(100, "png"); SceneRenderer jpg = new SceneRenderer(100, "jpg")) {
            byte[] drawn = pixels(png.draw(scene));
            Mat decoded = Imgcodecs.imdecode(new MatOfByte(png.encode(scene)), Imgcodecs.IMREAD_COLOR);
            assertArrayEquals(drawn, pixels(decoded));
            byte[] jpeg = jpg.encode(scene);
            assertEquals((byte) 0xFF, jpeg[0]);
            assertEquals((byte) 0xD8, jpeg[1]);
            Mat fromJpeg = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
            assertEquals(100, fromJpeg.rows());
            assertEquals(100, fromJpeg.cols());
            assertEquals(CvType.CV_8UC3, fromJpeg.type());
        }
    }

    @Test
    void rejectsUnknownFormatsAndScenesOfAnotherSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SceneRenderer(96, "gif"));
        assertTrue(e.getMessage().contains("\"jpg\" or \"png\""), e.getMessage());
        Scene scene = new SceneSampler(128, 4).sample(0, new SplittableRandom(2));
        try (SceneRenderer renderer = new SceneRenderer(96, "png")) {
            assertThrows(IllegalArgumentException.class, () -> renderer.draw(scene));
        }
    }

    private static byte[] pixels(Mat image) {
        byte[] bytes = new byte[(int) image.total() * image.channels()];
        image.get(0, 0, bytes);
        return bytes;
    }
}
