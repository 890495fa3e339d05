package dev.captioner.pipeline.compare;

import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many images of each split a comparison uses: the first N of the split file's order, or all where
 * null. {@code restval} images count as training images.
 *
 * @param train training images, or null for all
 * @param val   validation images, or null for all
 * @param test  test images, or null for all
 */
public record SplitSizes(Integer train, Integer val, Integer test) {
    public SplitSizes {
        for (Integer n : new Integer[] {train, val, test}) {
            if (n != null && n < 1) {
                throw new IllegalArgumentException("a split needs at least 1 image, got " + n);
            }
        }
    }

    /** The split with only the images kept, in the file's order. */
    public KarpathySplit apply(KarpathySplit split) {
        Map<String, Integer> kept = new HashMap<>();
        List<KarpathyImage> images = new ArrayList<>();
        for (KarpathyImage image : split.images()) {
            String name = image.split().equals("restval") ? "train" : image.split();
            Integer limit = switch (name) {
                case "train" -> train;
                case "val" -> val;
                case "test" -> test;
                default -> null;
            };
            int count = kept.merge(name, 1, Integer::sum);
            if (limit == null || count <= limit) {
                images.add(image);
            }
        }
        return new KarpathySplit(split.dataset(), images);
    }
}
