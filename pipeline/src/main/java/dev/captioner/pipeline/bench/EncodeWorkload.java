package dev.captioner.pipeline.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.FileTrees;
import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.backbone.BackboneEncoder;
import dev.captioner.encoder.image.ImagePreprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * ResNet-18 (torchvision layout, cut after layer4) on 16 images at 224x224: the grid (16, 49, 512) and
 * the pooled (16, 512) from one pass ({@code encode-resnet18-224} of shared/bench WORKLOADS.md section
 * 10). With {@code fromFiles}, each iteration also decodes 16 JPEG files of 640x480 and preprocesses
 * them (resize 256, centre crop 224, ImageNet normalisation): what a user's {@code features} run costs.
 */
final class EncodeWorkload implements Workload {
    private static final int N = 16;
    /** 2 x MACs of the 20 convolutions per image, times 16 (WORKLOADS.md section 10). */
    private static final double GFLOP = 58.0340;

    private final boolean fromFiles;
    private NDManager manager;
    private BackboneEncoder encoder;
    private NDArray input;
    private ImagePreprocessor preprocessor;
    private Path dir;
    private final List<Path> files = new ArrayList<>();

    EncodeWorkload(boolean fromFiles) {
        this.fromFiles = fromFiles;
    }

    @Override
    public String name() {
        return fromFiles ? "encode-resnet18-224-jpeg" : "encode-resnet18-224";
    }

    @Override
    public String description() {
        return fromFiles ? "decode 16 JPEGs (640x480), preprocess to 224, ResNet-18 grid and pooled"
                : "ResNet-18 up to layer4 on 16 images of 3x224x224: grid and pooled";
    }

    @Override
    public int imagesPerIteration() {
        return N;
    }

    @Override
    public double gflopPerIteration() {
        return GFLOP;
    }

    @Override
    public void prepare() throws Exception {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(0);
        encoder = BackboneEncoder.builder().setBackbone("resnet18").optInputSize(224).build();
        input = manager.randomNormal(new Shape(N, 3, 224, 224));
        if (fromFiles) {
            OpenCvNative.load();
            preprocessor = ImagePreprocessor.builder().optInputSize(224).build();
            dir = Files.createTempDirectory("bench-encode");
            SplittableRandom random = new SplittableRandom(0);
            for (int i = 0; i < N; i++) {
                Mat image = new Mat(480, 640, CvType.CV_8UC3);
                byte[] pixels = new byte[480 * 640 * 3];
                for (int p = 0; p < pixels.length; p++) {
                    // smooth gradients plus noise, so JPEG sizes are like photographs', not like noise
                    int x = (p / 3) % 640;
                    int y = (p / 3) / 640;
                    pixels[p] = (byte) ((x * (p % 3 + 1) / 5 + y / 3 + random.nextInt(24)) & 0xFF);
                }
                image.put(0, 0, pixels);
                Path file = dir.resolve(String.format("img%02d.jpg", i));
                Imgcodecs.imwrite(file.toString(), image, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
                image.release();
                files.add(file);
            }
        }
    }

    @Override
    public void iterate() throws Exception {
        try (NDManager step = manager.newSubManager()) {
            NDArray images = fromFiles ? preprocessor.batch(files, step) : input;
            try (EncodedImages out = encoder.encode(images)) { // (16, 49, 512), (16, 512)
                out.pooled().getFloat(0, 0); // forces the pass to finish before the clock stops
            }
        }
    }

    @Override
    public Map<String, Object> extraFigures() {
        return Map.of("parameters", encoder.backbone().parameterCount());
    }

    @Override
    public void close() throws Exception {
        if (encoder != null) {
            encoder.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
