package dev.captioner.encoder.pretrain;

import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.data.synth.SynthScenes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images of one split of a synth-scenes folder (as {@code captioner synth} writes it) with their
 * {@link SceneTargets} rows: the training data of the encoder's pretraining.
 */
public final class LabelledScenes {
    private final List<Path> images;
    private final float[] targets; // (N, width)
    private final int width;
    private final float[] dense; // (N, L, dense labels)
    private final int denseWidth;

    private LabelledScenes(List<Path> images, float[] targets, int width, float[] dense, int denseWidth) {
        this.images = List.copyOf(images);
        this.targets = targets;
        this.width = width;
        this.dense = dense;
        this.denseWidth = denseWidth;
    }

    /**
     * Reads {@code dataset_synth.json} and {@code instances.json} of {@code dir} and keeps one split;
     * dense targets are made for an encoder grid of {@code gridSide} x {@code gridSide}.
     */
    public static LabelledScenes read(Path dir, String split, SceneTargets sceneTargets, int gridSide) throws IOException {
        Path karpathyFile = dir.resolve(SynthScenes.KARPATHY_FILE);
        Path instancesFile = dir.resolve(SynthScenes.INSTANCES_FILE);
        KarpathySplit karpathy = KarpathySplit.read(karpathyFile);
        SynthInstances instances = SynthInstances.read(instancesFile);
        Map<Long, List<SynthAnnotation>> objects = instances.annotationsByImage();
        Map<Long, Integer> sizes = new java.util.HashMap<>();
        instances.images().forEach(image -> sizes.put(image.id(), image.width()));
        List<KarpathyImage> chosen = karpathy.split(split);
        if (chosen.isEmpty()) {
            throw new DataFormatException(karpathyFile, "no images in split \"" + split + "\"");
        }
        int width = sceneTargets.width();
        float[] targets = new float[chosen.size() * width];
        int denseWidth = gridSide * gridSide * sceneTargets.denseLabels();
        float[] dense = new float[chosen.size() * denseWidth];
        List<Path> images = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            KarpathyImage image = chosen.get(i);
            List<SynthAnnotation> scene = objects.get(image.id());
            if (scene == null) {
                throw new DataFormatException(instancesFile, "image " + image.id() + " of " + karpathyFile.getFileName()
                        + " has no entry");
            }
            if (scene.size() > sceneTargets.maxObjects()) {
                throw new DataFormatException(instancesFile, "image " + image.id() + " has " + scene.size()
                        + " objects, more than the " + sceneTargets.maxObjects() + " the encoder is trained for");
            }
            sceneTargets.fill(scene, sizes.get(image.id()), targets, i * width);
            sceneTargets.fillDense(scene, sizes.get(image.id()), gridSide, dense, i * denseWidth);
            images.add(dir.resolve(image.relativePath()));
        }
        return new LabelledScenes(images, targets, width, dense, denseWidth);
    }

    public int size() {
        return images.size();
    }

    public Path image(int index) {
        return images.get(index);
    }

    /** Values per image of the dense targets: L x dense labels. */
    public int denseWidth() {
        return denseWidth;
    }

    /** Copies the dense targets of image {@code index} into {@code into} at {@code offset}. */
    public void copyDenseTargets(int index, float[] into, int offset) {
        System.arraycopy(dense, index * denseWidth, into, offset, denseWidth);
    }

    /** Copies the target row of image {@code index} into {@code into} at {@code offset}. */
    public void copyTargets(int index, float[] into, int offset) {
        System.arraycopy(targets, index * width, into, offset, width);
    }
}
