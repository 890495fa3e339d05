package dev.captioner.encoder.backbone;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Map;

/**
 * The convolutional trunk of an ImageNet classifier, cut where the image encoder takes its grid:
 * {@code (B, 3, H, W) -> (B, C, H', W')}. No pooling head and no classifier belong to it.
 *
 * <p>Every backbone lays out its parameters like the torchvision model of the same name, so that a
 * torchvision {@code state_dict} maps one to one onto {@link #torchvisionParameters()} (see
 * {@link SafetensorsImport}). Output shapes come from {@link #getOutputShapes(Shape[])} without a
 * forward pass.
 *
 * <p>Initialisation follows torchvision rather than DJL's Xavier default: convolution weights are
 * Kaiming-normal with fan-out ({@code std = sqrt(2 / fan_out)}), biases and batch-norm shifts 0,
 * batch-norm scales 1, running means 0 and running variances 1.
 */
public abstract class Backbone extends AbstractBlock {

    private final String name;

    /**
     * @param version the block's parameter-format version
     * @param name    the torchvision name, e.g. {@code resnet18}
     */
    protected Backbone(byte version, String name) {
        super(version);
        this.name = name;
    }

    /** Sets torchvision's Kaiming-normal (fan-out) initialiser; call once all children are added. */
    protected final void useTorchvisionInitializer() {
        // Xavier with factor OUT and magnitude 2 draws N(0, 2 / fan_out): kaiming_normal_(mode="fan_out").
        setInitializer(
                new XavierInitializer(
                        XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
                Parameter.Type.WEIGHT);
    }

    /** The torchvision model name, e.g. {@code resnet18} or {@code vgg16}. */
    public String name() {
        return name;
    }

    /** Channels C of the feature map, e.g. 512 for ResNet-18 and VGG, 2048 for ResNet-50. */
    public abstract int featureSize();

    /**
     * The feature map's shape for one {@code size x size} image, from {@link #getOutputShapes}.
     *
     * @return (1, C, H', W')
     */
    public Shape featureMapShape(int size) {
        return getOutputShapes(new Shape[] {new Shape(1, 3, size, size)})[0];
    }

    /**
     * The parameters under their torchvision {@code state_dict} names ({@code conv1.weight},
     * {@code bn1.running_var}, {@code layer1.0.downsample.0.weight}, {@code features.0.bias}, ...),
     * in {@code state_dict} order. {@code num_batches_tracked} and the classifier head have no
     * counterpart here. The block must be initialised for the parameters to hold arrays.
     */
    public abstract Map<String, Parameter> torchvisionParameters();

    /**
     * Trainable weights (convolutions and batch-norm scales and shifts; running statistics not
     * counted), as torchvision's {@code sum(p.numel() for p in model.parameters())} without the
     * head. The block must be initialised.
     */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : getParameters().values()) {
            if (p.getType() != Parameter.Type.RUNNING_MEAN
                    && p.getType() != Parameter.Type.RUNNING_VAR) {
                if (p.getShape() == null) {
                    throw new IllegalStateException(name + " is not initialised");
                }
                count += p.getShape().size();
            }
        }
        return count;
    }

    /** Puts a convolution's {@code weight} (and {@code bias}, if it has one) under {@code prefix.}. */
    static void putConv(Map<String, Parameter> out, String prefix, Conv2d conv) {
        for (Parameter p : conv.getDirectParameters().values()) {
            out.put(prefix + "." + p.getName(), p); // DJL's names are torch's: weight, bias
        }
    }

    /** Puts a batch norm's four arrays under torch's names: weight, bias, running_mean, running_var. */
    static void putBatchNorm(Map<String, Parameter> out, String prefix, BatchNorm bn) {
        for (Parameter p : bn.getDirectParameters().values()) {
            String torchName =
                    switch (p.getName()) {
                        case "gamma" -> "weight";
                        case "beta" -> "bias";
                        case "runningMean" -> "running_mean";
                        case "runningVar" -> "running_var";
                        default -> throw new IllegalStateException(
                                "unknown batch-norm parameter " + p.getName());
                    };
            out.put(prefix + "." + torchName, p);
        }
    }
}
