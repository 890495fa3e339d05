package dev.captioner.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any traced or scripted CNN that maps (B, 3, S, S) images to a (B, C, H', W') feature map, loaded
 * through DJL {@link Criteria} on the PyTorch engine: the route for ImageNet-pretrained torchvision
 * backbones exported by their owners (docs/encoders.md gives the export recipe). Files saved by torch
 * 1.13 load in DJL's libtorch 2.7.1.
 *
 * <p>The block is called directly rather than through a {@code Predictor}, so its outputs belong to the
 * caller's input manager and live as long as the caller needs them.
 */
public final class TorchScriptEncoder implements ImageEncoder {
    private final Path file;
    private final ZooModel<NDList, NDList> model;
    private final int inputSize;
    private final int channels;
    private final int locations;
    private final String gridShape;

    private TorchScriptEncoder(Path file, ZooModel<NDList, NDList> model, int inputSize, Shape probe) {
        this.file = file;
        this.model = model;
        this.inputSize = inputSize;
        this.channels = (int) probe.get(1);
        this.locations = (int) (probe.get(2) * probe.get(3));
        this.gridShape = probe.get(2) + "x" + probe.get(3) + "x" + probe.get(1);
    }

    /**
     * Loads the file and runs one probe image of side {@code inputSize} to learn the grid's shape.
     *
     * @throws IOException naming the file where it is missing, not TorchScript, or does not return a
     *                     4-dimensional feature map
     */
    public static TorchScriptEncoder load(Path file, int inputSize) throws IOException {
        return load(file, inputSize, null);
    }

    /** As {@link #load(Path, int)}, on {@code device} (null: the engine's default). */
    public static TorchScriptEncoder load(Path file, int inputSize, Device device) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such TorchScript file");
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(file.toAbsolutePath())
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IOException(file + ": not a loadable TorchScript model (" + firstLine(e) + ")", e);
        }
        Shape probe;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray zeros = manager.zeros(new Shape(1, 3, inputSize, inputSize));
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(zeros), false);
            probe = out.head().getShape();
        } catch (RuntimeException e) {
            model.close();
            throw new IOException(file + ": the model failed on a (1, 3, " + inputSize + ", " + inputSize
                    + ") input (" + firstLine(e) + ")", e);
        }
        if (probe.dimension() != 4) {
            model.close();
            throw new IOException(file + ": the model returns shape " + probe
                    + ", but an encoder must return a (B, C, H, W) feature map");
        }
        return new TorchScriptEncoder(file, model, inputSize, probe);
    }

    @Override
    public EncodedImages encode(NDArray images) {
        NDManager manager = images.getManager();
        NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(images), false);
        NDArray map = out.head(); // (B, C, H', W')
        map.attach(manager);
        return EncodedImages.fromFeatureMap(map);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int featureSize() {
        return channels;
    }

    @Override
    public int locations() {
        return locations;
    }

    @Override
    public String describe() {
        return "torchscript:" + file.getFileName() + "@" + inputSize + " (" + gridShape + ")";
    }

    @Override
    public void close() {
        model.close();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().lines().findFirst().orElse(message);
    }
}
