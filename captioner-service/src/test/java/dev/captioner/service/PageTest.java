package dev.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.pipeline.model.Captioner;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The page as a person uses it, in headless Chromium: choose a synth image, read its caption, point at a word
 * and see the map of where the model looked. Skipped where no {@code chromium} is on the PATH (Debian:
 * {@code apt-get install chromium}).
 */
class PageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void choosingAnImageShowsItsCaptionAndAWordShowsItsMap() throws Exception {
        Path chromium = DevTools.chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium on the PATH: the page test is skipped (Debian: apt-get install chromium)");
        SynthScenes.builder().setImages(3).optSeed(5).build().write(dir.resolve("data"), done -> { });
        Path image;
        try (var files = Files.list(dir.resolve("data").resolve("images"))) {
            image = files.filter(f -> f.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        try (Captioner captioner = Captioner.load(CaptionServiceTest.BUNDLED, Captioner.Options.builder().optBatchSize(4).build())) {
            CaptionService service = new CaptionService(captioner, ServiceConfig.builder().optPort(0).build());
            service.start();
            try (DevTools browser = DevTools.start(chromium, dir.resolve("profile"), 1100, 1000)) {
                HttpResponse<String> api = CaptionServiceTest.post(service, "?beam=3&n_best=3", "image/jpeg", Files.readAllBytes(image));
                JsonNode expected = JSON.readTree(api.body()).get("captions");

                browser.send("Page.navigate", Map.of("url", "http://127.0.0.1:" + service.port() + "/"));
                browser.waitFor("document.readyState === 'complete' && document.getElementById('model').textContent.includes('att-lstm')", 30);
                browser.chooseFile("#file", image);
                try {
                    browser.waitFor("document.body.dataset.state === 'captioned'", 60);
                } catch (java.io.IOException e) {
                    throw new AssertionError("no caption on the page: state " + browser.evaluate("String(document.body.dataset.state)")
                            + ", error '" + browser.evaluate("document.getElementById('error').textContent") + "', files "
                            + browser.evaluate("document.getElementById('file').files.length"), e);
                }
                String caption = browser.evaluate("document.getElementById('caption').textContent.trim()").asText();
                assertEquals(expected.get(0).get("text").asText(), caption, "the page shows the API's best caption");
                assertEquals(expected.size(), browser.evaluate("document.querySelectorAll('#nbest-list li').length").asInt(), "the n-best list");
                browser.waitFor("document.getElementById('map').complete && document.getElementById('map').naturalWidth > 0", 10);

                JsonNode box = browser.evaluate("JSON.parse(JSON.stringify(document.getElementById('map').getBoundingClientRect()))");
                Rect picture = new Rect(box.get("x").asInt() + 2, box.get("y").asInt() + 2, box.get("width").asInt() - 4,
                        box.get("height").asInt() - 4);
                Mat plain = decode(browser.screenshot());
                int last = expected.get(0).get("words").size() - 1; // the last word names an object
                browser.evaluate("document.querySelectorAll('#caption .word')[" + last + "].click()");
                browser.waitFor("document.getElementById('map').src.startsWith('data:image/png') && document.getElementById('map').complete", 10);
                byte[] shot = browser.screenshot();
                Files.write(Files.createDirectories(Path.of("target")).resolve("page-screenshot.png"), shot); // for docs/serve.md
                Mat mapped = decode(shot);

                Mat before = plain.submat(inside(picture, plain));
                Mat after = mapped.submat(inside(picture, mapped));
                Mat difference = new Mat();
                Core.absdiff(before, after, difference);
                Scalar mean = Core.mean(difference);
                double change = (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
                assertTrue(change > 20, "the word's map is drawn over the picture (mean change " + change + " of 255)");
                JsonNode text = browser.evaluate("JSON.parse(JSON.stringify(document.getElementById('caption').getBoundingClientRect()))");
                Mat words = mapped.submat(inside(new Rect(text.get("x").asInt(), text.get("y").asInt(), Math.max(1, text.get("width").asInt()),
                        Math.max(1, text.get("height").asInt())), mapped));
                Core.MinMaxLocResult range = Core.minMaxLoc(gray(words));
                assertTrue(range.minVal < 80 && range.maxVal > 200, "the caption's dark letters are on the screenshot");
            } finally {
                service.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** The part of {@code box} that lies on the screenshot. */
    private static Rect inside(Rect box, Mat shot) {
        int x = Math.max(0, box.x);
        int y = Math.max(0, box.y);
        return new Rect(x, y, Math.max(1, Math.min(box.x + box.width, shot.cols()) - x), Math.max(1, Math.min(box.y + box.height, shot.rows()) - y));
    }

    private static Mat decode(byte[] png) {
        return Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
    }

    private static Mat gray(Mat bgr) {
        Mat gray = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(bgr, gray, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
        return gray;
    }
}
