package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.data.coco.CocoCaption;
import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class SynthScenesTest {
    private static final int IMAGES = 30;
    private static final int SIZE = 96;

    @TempDir
    static Path dir;
    private static SynthScenes scenes;
    private static SynthSummary summary;
    private static List<Long> progress;

    @BeforeAll
    static void writeOnce() throws IOException {
        OpenCvNative.load();
        scenes = SynthScenes.builder().setImages(IMAGES).optSize(SIZE).optSeed(5).optThreads(2).build();
        List<Long> calls = new ArrayList<>();
        summary = scenes.write(dir.resolve("a"), calls::add);
        progress = calls;
    }

    @Test
    void writesEveryFileAndReportsProgressInOrder() throws IOException {
        Map<String, byte[]> files = files(dir.resolve("a"));
        List<String> expected = new ArrayList<>(List.of("captions.json", "captions_test.json", "captions_train.json",
                "captions_val.json", "dataset_synth.json", "instances.json"));
        for (int i = 0; i < IMAGES; i++) {
            expected.add(String.format("images/%06d.jpg", i));
        }
        expected.sort(null);
        assertEquals(expected, new ArrayList<>(files.keySet()));
        assertEquals(Stream.iterate(1L, n -> n + 1).limit(IMAGES).collect(Collectors.toList()), progress);
        assertEquals(IMAGES, summary.images());
        assertEquals(List.of(24, 3, 3), List.of(summary.trainImages(), summary.valImages(), summary.testImages()));
        assertEquals(5L * IMAGES, summary.captions());
    }

    @Test
    void sameSeedGivesTheSameBytesWhateverTheThreads() throws IOException {
        SynthScenes.builder().setImages(IMAGES).optSize(SIZE).optSeed(5).optThreads(1).build().write(dir.resolve("b"), n -> { });
        Map<String, byte[]> first = files(dir.resolve("a"));
        Map<String, byte[]> second = files(dir.resolve("b"));
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name);
        }
    }

    @Test
    void anotherSeedGivesOtherImages() throws IOException {
        SynthScenes.builder().setImages(IMAGES).optSize(SIZE).optSeed(6).build().write(dir.resolve("c"), n -> { });
        Map<String, byte[]> first = files(dir.resolve("a"));
        Map<String, byte[]> other = files(dir.resolve("c"));
        int same = 0;
        for (int i = 0; i < IMAGES; i++) {
            String name = String.format("images/%06d.jpg", i);
            same += java.util.Arrays.equals(first.get(name), other.get(name)) ? 1 : 0;
        }
        assertEquals(0, same, "images the same under both seeds");
        assertFalse(java.util.Arrays.equals(first.get("captions.json"), other.get("captions.json")));
    }

    @Test
    void imagesDecodeToTheirSizeAndObjectsShowTheirColour() throws IOException {
        SynthInstances instances = SynthInstances.read(dir.resolve("a/instances.json"));
        Map<Long, List<SynthAnnotation>> byImage = instances.annotationsByImage();
        int checked = 0;
        for (CocoImage image : instances.images()) {
            Mat pixels = Imgcodecs.imread(dir.resolve("a/images").resolve(image.fileName()).toString());
            assertEquals(SIZE, pixels.rows());
            assertEquals(SIZE, pixels.cols());
            assertEquals(3, pixels.channels());
            for (SynthAnnotation a : byImage.get(image.id())) {
                if (a.shape() != Shape.CIRCLE && a.shape() != Shape.SQUARE) {
                    continue;
                }
                // The mean of the 3x3 pixels at the box centre, after JPEG, is nearest to the object's colour.
                Scalar mean = Core.mean(pixels.submat(new Rect((int) a.bbox().centreX() - 1, (int) a.bbox().centreY() - 1, 3, 3)));
                Colour nearest = null;
                double best = Double.MAX_VALUE;
                for (Colour colour : Colour.values()) {
                    double d = Math.abs(mean.val[0] - colour.blue()) + Math.abs(mean.val[1] - colour.green()) + Math.abs(mean.val[2] - colour.red());
                    if (d < best) {
                        best = d;
                        nearest = colour;
                    }
                }
                assertEquals(a.colour(), nearest, "image " + image.id() + " annotation " + a.id());
                assertTrue(Math.abs(mean.val[2] - a.colour().red()) <= 35 && Math.abs(mean.val[1] - a.colour().green()) <= 35
                        && Math.abs(mean.val[0] - a.colour().blue()) <= 35, "close to " + a.colour() + ": " + mean);
                checked++;
            }
        }
        assertTrue(checked >= 5, "checked " + checked);
    }

    @Test
    void instancesMatchTheScenesAndBoxesNeverOverlap() throws IOException {
        SynthInstances instances = SynthInstances.read(dir.resolve("a/instances.json"));
        Map<Long, List<SynthAnnotation>> byImage = instances.annotationsByImage();
        long nextId = 1;
        for (int i = 0; i < IMAGES; i++) {
            List<SynthAnnotation> annotations = byImage.get((long) i);
            List<SceneObject> objects = scenes.scene(i).objects();
            assertTrue(annotations.size() >= 1 && annotations.size() <= SynthScenes.DEFAULT_MAX_OBJECTS);
            assertEquals(objects.size(), annotations.size());
            for (int k = 0; k < objects.size(); k++) {
                SynthAnnotation a = annotations.get(k);
                SceneObject o = objects.get(k);
                assertEquals(nextId++, a.id());
                assertEquals(List.of(o.shape(), o.colour(), o.size(), o.box()), List.of(a.shape(), a.colour(), a.size(), a.bbox()));
                assertEquals(o.area(), a.area(), 0.01);
                assertTrue(a.bbox().inside(SIZE, SIZE));
                for (int j = 0; j < k; j++) {
                    assertFalse(a.bbox().overlaps(annotations.get(j).bbox()), "image " + i);
                }
            }
        }
    }

    @Test
    void captionFilesAgreeAndTheirCaptionsAreTrue() throws IOException {
        CocoCaptions all = CocoCaptions.read(dir.resolve("a/captions.json"));
        assertEquals(IMAGES, all.images().size());
        assertEquals(new CocoImage(0, "000000.jpg", SIZE, SIZE), all.images().get(0));
        Map<Long, List<String>> byImage = all.captionsByImage();
        for (int i = 0; i < IMAGES; i++) {
            List<String> expected = scenes.captions(i).stream().map(SceneCaption::text).collect(Collectors.toList());
            assertEquals(expected, byImage.get((long) i));
            for (String caption : expected) {
                CaptionTruth.check(scenes.scene(i), caption);
            }
        }
        assertEquals(1, all.annotations().get(0).id());
        assertEquals(5L * IMAGES, all.annotations().get(all.annotations().size() - 1).id());

        KarpathySplit karpathy = KarpathySplit.read(dir.resolve("a/dataset_synth.json"));
        assertEquals("synth", karpathy.dataset());
        List<CocoCaption> seen = new ArrayList<>();
        for (String split : SynthScenes.SPLITS) {
            CocoCaptions part = CocoCaptions.read(dir.resolve("a/captions_" + split + ".json"));
            List<KarpathyImage> karpathyPart = karpathy.split(split);
            assertEquals(karpathyPart.stream().map(KarpathyImage::id).collect(Collectors.toList()),
                    part.images().stream().map(CocoImage::id).collect(Collectors.toList()), split);
            seen.addAll(part.annotations());
        }
        assertEquals(all.annotations(), seen, "the splits partition captions.json, in order");
        KarpathyImage first = karpathy.images().get(0);
        assertEquals("images/000000.jpg", first.relativePath());
        assertEquals(0, first.id());
        assertEquals(CaptionTokenizer.tokenize(first.sentences().get(0).raw()), first.sentences().get(0).tokens());
        assertEquals(List.of("test", "test", "test"), karpathy.images().subList(IMAGES - 3, IMAGES).stream()
                .map(KarpathyImage::split).collect(Collectors.toList()));
    }

    @Test
    void splitIsEightyTenTenByIndexWithValAndTestNeverEmptyFromThreeImages() {
        assertEquals(0, SynthScenes.heldOut(1));
        assertEquals(0, SynthScenes.heldOut(2));
        assertEquals(1, SynthScenes.heldOut(3));
        assertEquals(1, SynthScenes.heldOut(19));
        assertEquals(200, SynthScenes.heldOut(2000));
        assertEquals(List.of("train", "val", "test"), List.of(SynthScenes.splitOf(0, 3), SynthScenes.splitOf(1, 3), SynthScenes.splitOf(2, 3)));
        assertEquals("train", SynthScenes.splitOf(1, 2));
        assertEquals("train", SynthScenes.splitOf(1599, 2000));
        assertEquals("val", SynthScenes.splitOf(1600, 2000));
        assertEquals("test", SynthScenes.splitOf(1800, 2000));
    }

    @Test
    void pngImagesAreNamedPng() throws IOException {
        SynthSummary png = SynthScenes.builder().setImages(3).optSize(64).optMaxObjects(9).optImageFormat("png").build()
                .write(dir.resolve("png"), n -> { });
        assertEquals(List.of(1, 1, 1), List.of(png.trainImages(), png.valImages(), png.testImages()));
        assertTrue(Files.isRegularFile(dir.resolve("png/images/000002.png")));
        assertEquals(64, Imgcodecs.imread(dir.resolve("png/images/000002.png").toString()).rows());
        assertEquals("000002.png", CocoCaptions.read(dir.resolve("png/captions_test.json")).images().get(0).fileName());
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() {
        assertMessage(() -> SynthScenes.builder().build(), "setImages");
        assertMessage(() -> SynthScenes.builder().setImages(0).build(), "between 1 and 1000000");
        assertMessage(() -> SynthScenes.builder().setImages(10).optSize(32).build(), "image size must be between 64 and 4096");
        assertMessage(() -> SynthScenes.builder().setImages(10).optMaxObjects(0).build(), "max objects must be between 1 and 9");
        assertMessage(() -> SynthScenes.builder().setImages(10).optMaxObjects(10).build(), "one object per cell");
        assertMessage(() -> SynthScenes.builder().setImages(10).optImageFormat("JPEG").build(), "\"jpg\" or \"png\"");
        assertMessage(() -> SynthScenes.builder().setImages(10).optThreads(0).build(), "threads must be at least 1");
        SynthScenes defaults = SynthScenes.builder().setImages(10).build();
        assertEquals(List.of(224, 4, 0L, "jpg"), List.of(defaults.size(), defaults.maxObjects(), defaults.seed(), defaults.imageFormat()));
    }

    private static void assertMessage(Supplier<SynthScenes> build, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    /** Every file under the folder by relative path (with /), in name order. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
