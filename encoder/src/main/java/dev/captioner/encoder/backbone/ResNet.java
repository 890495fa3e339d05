package dev.captioner.encoder.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's ResNet (He et al. 2016) cut after {@code layer4}: the grid of the Show, Attend and
 * Tell encoder; or, with {@link Builder#optStages optStages(3)}, cut after {@code layer3} ("C4" in the
 * detection literature, e.g. {@code resnet18-c4}), whose grid is twice as fine with 256 e channels:
 * 8 x 8 at 128 pixels, where {@code layer4} gives 4 x 4.
 *
 * <pre>
 *   x (B, 3, 224, 224) -> conv1 7x7/2 pad 3, bn1, relu   (B, 64, 112, 112)
 *                      -> maxpool 3x3/2 pad 1            (B, 64, 56, 56)
 *                      -> layer1                         (B, 64 e, 56, 56)
 *                      -> layer2 (first unit stride 2)   (B, 128 e, 28, 28)
 *                      -> layer3 (first unit stride 2)   (B, 256 e, 14, 14)
 *                      -> layer4 (first unit stride 2)   (B, 512 e, 7, 7)
 * </pre>
 *
 * with e = 1 for basic units (ResNet-18, 34) and 4 for bottlenecks (ResNet-50, 101, 152). Any input
 * size works: each stride-2 step maps a side n to {@code floor((n - 1) / 2) + 1}. DJL's own
 * {@code ResNetV1} is not this network below 50 layers (it uses bottlenecks there).
 */
public final class ResNet extends Backbone {

    private static final byte VERSION = 1;
    private static final int[] PLANES = {64, 128, 256, 512};

    private final int depth;
    private final int stages;
    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final List<List<ResidualUnit>> layers = new ArrayList<>();
    private final int featureSize;

    ResNet(Builder builder) {
        super(VERSION, "resnet" + builder.depth + (builder.stages == PLANES.length ? "" : "-c" + (builder.stages + 1)));
        depth = builder.depth;
        stages = builder.stages;
        int[] units = unitsPerStage(depth);
        boolean bottleneck = depth >= 50;
        conv1 =
                addChildBlock(
                        "conv1",
                        Conv2d.builder()
                                .setKernelShape(new Shape(7, 7))
                                .optStride(new Shape(2, 2))
                                .optPadding(new Shape(3, 3))
                                .setFilters(64)
                                .optBias(false)
                                .build());
        bn1 = addChildBlock("bn1", ResidualUnit.batchNorm());
        int channels = 64;
        for (int s = 0; s < stages; s++) {
            List<ResidualUnit> layer = new ArrayList<>();
            for (int u = 0; u < units[s]; u++) {
                int stride = s > 0 && u == 0 ? 2 : 1;
                ResidualUnit unit =
                        bottleneck
                                ? ResidualUnit.bottleneck(channels, PLANES[s], stride)
                                : ResidualUnit.basic(channels, PLANES[s], stride);
                layer.add(addChildBlock("layer" + (s + 1) + "." + u, unit));
                channels = unit.outChannels();
            }
            layers.add(Collections.unmodifiableList(layer));
        }
        featureSize = channels;
        useTorchvisionInitializer();
    }

    /** Residual units per stage for the depths torchvision defines. */
    static int[] unitsPerStage(int depth) {
        return switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34, 50 -> new int[] {3, 4, 6, 3};
            case 101 -> new int[] {3, 4, 23, 3};
            case 152 -> new int[] {3, 8, 36, 3};
            default -> throw new IllegalArgumentException(
                    "ResNet depth must be 18, 34, 50, 101 or 152, not " + depth);
        };
    }

    /** The number of weighted layers: 18, 34, 50, 101 or 152. */
    public int depth() {
        return depth;
    }

    /** The residual stages kept: 4 (up to {@code layer4}) or 3 (up to {@code layer3}). */
    public int stages() {
        return stages;
    }

    /** {@inheritDoc} */
    @Override
    public int featureSize() {
        return featureSize;
    }

    /** The residual units of {@code layer1} .. {@code layer4}. */
    public List<List<ResidualUnit>> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, 3, H, W)
        NDArray c = conv1.forward(ps, new NDList(x), training, params).head(); // (B, 64, H/2, W/2)
        NDArray b = bn1.forward(ps, new NDList(c), training, params).head();
        c.close();
        NDArray r = Activation.relu(b);
        b.close();
        NDArray y = maxPool(r); // (B, 64, H/4, W/4)
        r.close();
        for (List<ResidualUnit> layer : layers) {
            for (ResidualUnit unit : layer) {
                NDArray next = unit.forward(ps, new NDList(y), training, params).head();
                y.close();
                y = next;
            }
        }
        return new NDList(y); // (B, C, H/32, W/32); H/16 with 3 stages
    }

    private static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    }

    private static Shape maxPoolShape(Shape in) {
        // floor((n + 2 * 1 - 3) / 2) + 1
        return new Shape(in.get(0), in.get(1), (in.get(2) - 1) / 2 + 1, (in.get(3) - 1) / 2 + 1);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = {maxPoolShape(conv1.getOutputShapes(inputShapes)[0])};
        for (List<ResidualUnit> layer : layers) {
            for (ResidualUnit unit : layer) {
                shapes = unit.getOutputShapes(shapes);
            }
        }
        return shapes;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, shapes);
        shapes = new Shape[] {maxPoolShape(shapes[0])};
        for (List<ResidualUnit> layer : layers) {
            for (ResidualUnit unit : layer) {
                unit.initialize(manager, dataType, shapes);
                shapes = unit.getOutputShapes(shapes);
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Parameter> torchvisionParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        putConv(out, "conv1", conv1);
        putBatchNorm(out, "bn1", bn1);
        for (int s = 0; s < layers.size(); s++) {
            List<ResidualUnit> layer = layers.get(s);
            for (int u = 0; u < layer.size(); u++) {
                layer.get(u).putTorchvisionParameters(out, "layer" + (s + 1) + "." + u);
            }
        }
        return out;
    }

    /** Creates a builder; {@link Builder#setDepth} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ResNet}. */
    public static final class Builder {

        private int depth;
        private int stages = PLANES.length;

        Builder() {}

        /** Keeps the first 3 or all 4 residual stages (default 4); 3 cuts after {@code layer3}. */
        public Builder optStages(int stages) {
            if (stages != 3 && stages != PLANES.length) {
                throw new IllegalArgumentException("a ResNet keeps 3 or 4 stages, not " + stages);
            }
            this.stages = stages;
            return this;
        }

        /** Sets the depth: 18 or 34 (basic units), 50, 101 or 152 (bottlenecks). */
        public Builder setDepth(int depth) {
            unitsPerStage(depth); // validates
            this.depth = depth;
            return this;
        }

        /** Builds the backbone; its parameters are allocated by {@code initialize}. */
        public ResNet build() {
            if (depth == 0) {
                throw new IllegalStateException("ResNet.builder(): setDepth is required");
            }
            return new ResNet(this);
        }
    }
}
