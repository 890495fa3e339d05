package dev.captioner.pipeline.bench;

import dev.captioner.data.coco.CocoCaption;
import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads a captions file the size of COCO train2014 (82,783 images, 414,113 captions of 8 to 16 words)
 * with {@link CocoCaptions#read}. Reports the time per read and the heap the parsed file holds.
 */
final class CocoReadWorkload implements Workload {
    private static final int IMAGES = 82_783;
    private static final int CAPTIONS = 414_113;
    private static final String[] WORDS = ("a an the man woman person people dog cat horse bus train car street table "
            + "plate pizza sitting standing next to on of in with while holding two three small large white black red "
            + "blue green yellow brown top front near down up field water snow grass room kitchen bathroom toilet sink "
            + "tennis racket ball frisbee skateboard surfboard wave beach sky clock tower building city road sign").split(" ");

    private Path dir;
    private Path file;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    @Override
    public String name() {
        return "read-coco-captions";
    }

    @Override
    public String description() {
        return "read a captions file the size of COCO train2014 (414,113 captions)";
    }

    @Override
    public int defaultIterations() {
        return 5;
    }

    @Override
    public void prepare() throws Exception {
        SplittableRandom random = new SplittableRandom(0);
        List<CocoImage> images = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            images.add(new CocoImage(i + 1, String.format("COCO_train2014_%012d.jpg", i + 1), 640, 480));
        }
        List<CocoCaption> captions = new ArrayList<>(CAPTIONS);
        for (int c = 0; c < CAPTIONS; c++) {
            int words = 8 + random.nextInt(9);
            StringBuilder text = new StringBuilder(words * 6);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "A" : " " + WORDS[random.nextInt(WORDS.length)]);
            }
            captions.add(new CocoCaption(c + 1, (c % IMAGES) + 1, text.append('.').toString()));
        }
        dir = Files.createTempDirectory("bench-coco");
        file = dir.resolve("captions_train2014.json");
        new CocoCaptions(images, captions).write(file);
        figures.put("file_mb", Files.size(file) / 1e6);

        long before = usedHeapAfterGc();
        CocoCaptions held = CocoCaptions.read(file);
        long after = usedHeapAfterGc();
        figures.put("captions", held.annotations().size());
        figures.put("retained_heap_mb", (after - before) / 1e6);
        figures.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1e6);
    }

    @Override
    public void iterate() throws Exception {
        CocoCaptions.read(file);
    }

    @Override
    public Map<String, Object> extraFigures() {
        return figures;
    }

    @Override
    public void close() throws Exception {
        if (file != null) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
