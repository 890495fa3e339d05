package dev.captioner.encoder;

import ai.djl.Application;
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
import java.net.UnknownHostException;

/**
 * An ImageNet model from the DJL model zoo, for users who are online: {@code resnet18_embedding} (a
 * pooled 512-d vector per image) or a classifier cut to its features. Zoo artifacts give a pooled
 * vector, not a spatial grid, so they serve the plain decoder: the grid is that vector as one location
 * (L = 1).
 *
 * <p>Offline (the default of this project), DJL cannot reach its repository; {@link #load} then fails
 * with one line that names the artifact and the routes that work without a network, instead of DJL's
 * {@code UnknownHostException} stack.
 */
public final class ModelZooEncoder implements ImageEncoder {
    /** What to say when the zoo cannot be reached. */
    static final String OFFLINE_ROUTES = "use a TorchScript file (--encoder torchscript:FILE.pt), torchvision weights"
            + " as safetensors (--encoder resnet18:FILE.safetensors) or the project's own pretrained encoder"
            + " (captioner pretrain-encoder)";

    private final String artifact;
    private final ZooModel<NDList, NDList> model;
    private final int inputSize;
    private final int channels;

    private ModelZooEncoder(String artifact, ZooModel<NDList, NDList> model, int inputSize, int channels) {
        this.artifact = artifact;
        this.model = model;
        this.inputSize = inputSize;
        this.channels = channels;
    }

    /** Loads a PyTorch zoo artifact, e.g. {@code resnet18_embedding}. */
    public static ModelZooEncoder load(String artifact, int inputSize) throws IOException {
        return load(artifact, inputSize, null);
    }

    /** As {@link #load(String, int)}, on {@code device} (null: the engine's default). */
    public static ModelZooEncoder load(String artifact, int inputSize, Device device) throws IOException {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .optApplication(Application.CV.IMAGE_CLASSIFICATION)
                .setTypes(NDList.class, NDList.class)
                .optGroupId("ai.djl.pytorch")
                .optArtifactId(artifact)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new IOException(describeFailure(artifact, e), e);
        }
        int channels;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray zeros = manager.zeros(new Shape(1, 3, inputSize, inputSize));
            channels = (int) model.getBlock().forward(new ParameterStore(manager, false), new NDList(zeros), false)
                    .head().getShape().get(1);
        }
        return new ModelZooEncoder(artifact, model, inputSize, channels);
    }

    /** One line: offline, or not in the zoo, or broken. */
    static String describeFailure(String artifact, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || String.valueOf(t.getMessage()).contains("offline")) {
                return "model zoo artifact '" + artifact + "' is not available offline (DJL's model repository"
                        + " cannot be reached from here); " + OFFLINE_ROUTES;
            }
        }
        if (e instanceof ModelNotFoundException) {
            return "model zoo has no PyTorch artifact '" + artifact + "'; " + OFFLINE_ROUTES;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
        return "model zoo artifact '" + artifact + "' could not be loaded (" + message + "); " + OFFLINE_ROUTES;
    }

    @Override
    public EncodedImages encode(NDArray images) {
        NDManager manager = images.getManager();
        NDArray pooled = model.getBlock().forward(new ParameterStore(manager, false), new NDList(images), false).head();
        pooled.attach(manager);
        pooled = pooled.reshape(pooled.getShape().get(0), -1); // (B, D)
        return new EncodedImages(pooled.expandDims(1), pooled); // grid (B, 1, D)
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
        return 1;
    }

    @Override
    public String describe() {
        return "zoo:" + artifact + "@" + inputSize + " (pooled " + channels + ")";
    }

    @Override
    public void close() {
        model.close();
    }
}
