package dev.captioner.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.pipeline.model.Caption;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class HtmlReportTest {
    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

    @TempDir
    static Path data;

    static ReportFixture fixture;

    @TempDir
    Path out;

    @BeforeAll
    static void makeInputs() throws IOException {
        OpenCvNative.load();
        fixture = new ReportFixture(data);
    }

    /** Every src and href of the page, in order. */
    static List<String> links(String html) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            links.add(m.group(1));
        }
        return links;
    }

    @Test
    void aSelfContainedFolderWhoseLinksAllResolve() throws IOException {
        Path index = fixture.report().build().write(out.resolve("report"));
        Path root = out.resolve("report");
        assertEquals(root.resolve("index.html"), index);
        String html = Files.readString(index, StandardCharsets.UTF_8);

        List<String> links = links(html);
        // 1 chart, then per image: the photo, 3 word maps and the contact sheet of the attention model.
        assertEquals(1 + 3 * (1 + 3 + 1), links.size(), links.toString());
        for (String link : links) {
            assertFalse(link.contains(":") || link.startsWith("/") || link.contains(".."), "a plain relative link: " + link);
            Path file = root.resolve(URLDecoder.decode(link, StandardCharsets.UTF_8)).normalize();
            assertTrue(file.startsWith(root) && Files.isRegularFile(file), link + " resolves to a file in the report");
        }
        assertEquals("charts/01-test-scores.png", links.get(0));
        assertEquals("images/000000.png", links.get(1));
        assertEquals(List.of("maps/att-lstm/000000-0/00_a.png", "maps/att-lstm/000000-0/01_red.png",
                "maps/att-lstm/000000-0/02_circle.png", "maps/att-lstm/000000-0/sheet.png"), links.subList(2, 6));
        assertEquals(Files.size(fixture.images.get(0).file()), Files.size(root.resolve("images/000000.png")), "copied as it was");
        Mat map = Imgcodecs.imread(root.resolve(links.get(3)).toString());
        assertEquals(96, map.cols(), "a word's map at the image's size");
        assertEquals(96, map.rows());

        assertFalse(html.contains("<script"), "no JavaScript");
        assertFalse(html.contains("http:") || html.contains("https:"), "nothing from the network");
        assertTrue(html.contains("<title>Comparison &lt;test&gt;</title>"), "text is escaped");
        assertTrue(html.contains("Three synth-scenes images &amp; two models."));
        for (ReportImage image : fixture.images) {
            for (String reference : image.references()) {
                assertTrue(html.contains("<li>" + reference + "</li>"), "reference " + reference);
            }
            assertTrue(html.contains("<p class=\"caption\">" + fixture.plain.get(image.id()).caption().text() + "</p>"));
            assertTrue(html.contains(image.note()));
        }
        assertTrue(html.contains("<p class=\"caption\">a red circle</p>"));
        assertTrue(html.contains("<figcaption>circle</figcaption>"), "each map with its word");
        // The score table as HTML: the best mean of each column in bold, the n of a short cell shown.
        assertTrue(html.contains("<th>model</th><th>seeds</th><th>BLEU-4</th><th>CIDEr-D</th>"), html);
        assertTrue(html.contains("<tr><th>att-lstm</th><td>3</td><td><b>0.320 ± 0.020</b></td><td><b>1.200 ± 0.100</b></td></tr>"));
        assertTrue(html.contains("<tr><th>plain-gru</th><td>2</td><td>0.210 ± 0.014</td><td>0.700 (n=1)</td></tr>"));
        assertTrue(html.contains("<details open><summary>Test split</summary>"));
        assertTrue(html.contains("<details><summary>CIDEr-D by number of objects</summary>"));
        try (var left = Files.list(out)) {
            assertEquals(List.of(root), left.toList(), "no temporary folders left behind");
        }
    }

    @Test
    void anImageWithoutACaptionAndAModelWithoutAttention() throws IOException {
        Path index = HtmlReport.builder().setTitle("t").setImages(fixture.images.subList(0, 2))
                .addModel("plain", Map.of(0L, fixture.plain.get(0L))).build().write(out.resolve("r"));
        String html = Files.readString(index);
        assertTrue(html.contains("<p class=\"caption missing\">(no caption)</p>"));
        assertFalse(Files.exists(out.resolve("r/maps")), "no attention, no maps");
        assertFalse(html.contains("<section id=\"scores\">") || html.contains("<section id=\"charts\">"));
        assertEquals(2, links(html).size());
    }

    @Test
    void anOldReportIsReplacedWholeAnyOtherFolderIsRefused() throws IOException {
        Path root = out.resolve("report");
        fixture.report().build().write(root);
        HtmlReport.builder().setTitle("second").setImages(List.of()).build().write(root);
        assertFalse(Files.exists(root.resolve("images")), "replaced whole");
        assertTrue(Files.readString(root.resolve("index.html")).contains("<h1>second</h1>"));

        Path notes = Files.createDirectories(out.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "keep me");
        IOException e = assertThrows(IOException.class, () -> fixture.report().build().write(notes));
        assertEquals(notes + ": a folder that is not a report (no index.html); not replaced", e.getMessage());
        assertTrue(Files.exists(notes.resolve("todo.txt")));
    }

    @Test
    void aMissingImageIsOneLineAndNothingIsWritten() throws IOException {
        Path gone = data.resolve("images/missing.png");
        List<ReportImage> images = List.of(new ReportImage(9, gone, List.of("a red circle")));
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> HtmlReport.builder().setTitle("t").setImages(images).build().write(out.resolve("r")));
        assertEquals(gone.toString(), e.getFile());
        try (var left = Files.list(out)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        assertThrows(IllegalArgumentException.class, () -> new ReportCaption(
                new Caption(List.of("a", "b"), -1, List.<float[][]>of(ReportFixture.peakAt(0, 0)))));
        ReportImage image = fixture.images.get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HtmlReport.builder().setTitle("t").setImages(List.of(image, image)).build());
        assertEquals("image 0 is in the report twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HtmlReport.builder().addModel("m", Map.of()).addModel("m", Map.of()));
        assertEquals("model \"m\" is added twice", e.getMessage());
        assertEquals("a%20b/c%23d.png", HtmlReport.href("a b/c#d.png"));
        assertEquals("cider-d-test", HtmlReport.slug("CIDEr-D (test)"));
    }
}
