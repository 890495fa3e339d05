package dev.captioner.encoder.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's VGG (Simonyan and Zisserman 2015, configurations A, B, D, E without batch norm): the
 * {@code features} convolutions up to conv5, cut before the last max-pool, the grid that Show,
 * Attend and Tell takes from VGG: 224 x 224 gives (B, 512, 14, 14).
 *
 * <pre>
 *   features = [conv3x3 pad 1 (with bias), relu] x n1, maxpool 2x2/2,   64 channels
 *              [conv, relu] x n2, maxpool,                             128
 *              [conv, relu] x n3, maxpool,                             256
 *              [conv, relu] x n4, maxpool,                             512
 *              [conv, relu] x n5                                       512   (B, 512, H/16, W/16)
 * </pre>
 *
 * (n1..n5) = (1,1,2,2,2) for VGG-11, (2,2,2,2,2) for 13, (2,2,3,3,3) for 16, (2,2,4,4,4) for 19.
 * The convolutions keep the index they have in torchvision's {@code features} Sequential, where
 * every ReLU and max-pool counts too: {@code features.0}, {@code features.3}, ... for VGG-11.
 * Each max-pool maps a side n to {@code floor(n / 2)}.
 */
public final class Vgg extends Backbone {

    private static final byte VERSION = 1;
    private static final int[] CHANNELS = {64, 128, 256, 512, 512};

    private final int depth;
    /** One entry per module of torchvision's features, the last max-pool excluded; null for ReLU. */
    private final List<Layer> features = new ArrayList<>();

    private enum Kind {
        CONV,
        RELU,
        POOL
    }

    private record Layer(Kind kind, Conv2d conv) {}

    Vgg(Builder builder) {
        super(VERSION, "vgg" + builder.depth);
        depth = builder.depth;
        int[] convs = convsPerStage(depth);
        for (int s = 0; s < convs.length; s++) {
            if (s > 0) {
                features.add(new Layer(Kind.POOL, null));
            }
            for (int j = 0; j < convs[s]; j++) {
                Conv2d conv =
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(CHANNELS[s])
                                .build();
                addChildBlock("features." + features.size(), conv);
                features.add(new Layer(Kind.CONV, conv));
                features.add(new Layer(Kind.RELU, null));
            }
        }
        useTorchvisionInitializer();
    }

    /** Convolutions per stage for the depths torchvision defines. */
    static int[] convsPerStage(int depth) {
        return switch (depth) {
            case 11 -> new int[] {1, 1, 2, 2, 2};
            case 13 -> new int[] {2, 2, 2, 2, 2};
            case 16 -> new int[] {2, 2, 3, 3, 3};
            case 19 -> new int[] {2, 2, 4, 4, 4};
            default -> throw new IllegalArgumentException(
                    "VGG depth must be 11, 13, 16 or 19, not " + depth);
        };
    }

    /** The number of weighted layers of the full classifier: 11, 13, 16 or 19. */
    public int depth() {
        return depth;
    }

    /** {@inheritDoc} */
    @Override
    public int featureSize() {
        return CHANNELS[CHANNELS.length - 1];
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, 3, H, W)
        NDArray y = x;
        for (Layer layer : features) {
            NDArray next =
                    switch (layer.kind) {
                        case CONV -> layer.conv.forward(ps, new NDList(y), training, params).head();
                        case RELU -> Activation.relu(y);
                        case POOL -> Pool.maxPool2d(
                                y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                    };
            if (y != x) {
                y.close();
            }
            y = next;
        }
        return new NDList(y); // (B, 512, H/16, W/16)
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Layer layer : features) {
            shapes = outputShapes(layer, shapes);
        }
        return shapes;
    }

    private static Shape[] outputShapes(Layer layer, Shape[] in) {
        return switch (layer.kind) {
            case CONV -> layer.conv.getOutputShapes(in);
            case RELU -> in;
            case POOL -> new Shape[] {
                new Shape(in[0].get(0), in[0].get(1), in[0].get(2) / 2, in[0].get(3) / 2)
            };
        };
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Layer layer : features) {
            if (layer.kind == Kind.CONV) {
                layer.conv.initialize(manager, dataType, shapes);
            }
            shapes = outputShapes(layer, shapes);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Parameter> torchvisionParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).kind == Kind.CONV) {
                putConv(out, "features." + i, features.get(i).conv);
            }
        }
        return out;
    }

    /** Creates a builder; {@link Builder#setDepth} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Vgg}. */
    public static final class Builder {

        private int depth;

        Builder() {}

        /** Sets the depth: 11, 13, 16 or 19. */
        public Builder setDepth(int depth) {
            convsPerStage(depth); // validates
            this.depth = depth;
            return this;
        }

        /** Builds the backbone; its parameters are allocated by {@code initialize}. */
        public Vgg build() {
            if (depth == 0) {
                throw new IllegalStateException("Vgg.builder(): setDepth is required");
            }
            return new Vgg(this);
        }
    }
}
