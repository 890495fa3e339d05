package dev.captioner.encoder.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One residual unit of a ResNet (He et al. 2016), as torchvision builds it:
 *
 * <pre>
 *   y = relu(F(x) + shortcut(x))
 *   basic (ResNet-18/34):   F = bn2(conv2_3x3(relu(bn1(conv1_3x3/s(x)))))
 *   bottleneck (ResNet-50+): F = bn3(conv3_1x1(relu(bn2(conv2_3x3/s(relu(bn1(conv1_1x1(x))))))))
 *   shortcut = x, or bn(conv_1x1/s(x)) ("downsample") when the stride or the channels change
 * </pre>
 *
 * <p>Convolutions have no bias; the stride sits on the 3x3 convolution (torchvision's "ResNet
 * v1.5"). A bottleneck's output has {@code 4 * planes} channels. Children are named as torchvision's
 * modules: {@code conv1}, {@code bn1}, ..., {@code downsample.0}, {@code downsample.1}.
 */
public final class ResidualUnit extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Output channels of a bottleneck unit per plane. */
    public static final int BOTTLENECK_EXPANSION = 4;

    private final List<Conv2d> convs = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final Conv2d downsampleConv;
    private final BatchNorm downsampleNorm;
    private final int outChannels;

    private ResidualUnit(int inChannels, int[] kernels, int[] filters, int strideIndex, int stride) {
        super(VERSION);
        for (int j = 0; j < kernels.length; j++) {
            int k = kernels[j];
            int s = j == strideIndex ? stride : 1;
            convs.add(addChildBlock("conv" + (j + 1), conv(k, s, filters[j])));
            norms.add(addChildBlock("bn" + (j + 1), batchNorm()));
        }
        outChannels = filters[filters.length - 1];
        if (stride != 1 || inChannels != outChannels) {
            downsampleConv = addChildBlock("downsample.0", conv(1, stride, outChannels));
            downsampleNorm = addChildBlock("downsample.1", batchNorm());
        } else {
            downsampleConv = null;
            downsampleNorm = null;
        }
    }

    /** A basic unit: two 3x3 convolutions to {@code planes} channels, the first with {@code stride}. */
    public static ResidualUnit basic(int inChannels, int planes, int stride) {
        return new ResidualUnit(inChannels, new int[] {3, 3}, new int[] {planes, planes}, 0, stride);
    }

    /**
     * A bottleneck unit: 1x1 to {@code planes}, 3x3 with {@code stride}, 1x1 to {@code 4 * planes}
     * channels.
     */
    public static ResidualUnit bottleneck(int inChannels, int planes, int stride) {
        return new ResidualUnit(
                inChannels,
                new int[] {1, 3, 1},
                new int[] {planes, planes, planes * BOTTLENECK_EXPANSION},
                1,
                stride);
    }

    /** A convolution without bias, padded to keep the size at stride 1, as torchvision's conv1x1/conv3x3. */
    static Conv2d conv(int kernel, int stride, int filters) {
        int pad = kernel / 2;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /**
     * torch's {@code BatchNorm2d} defaults: eps 1e-5; DJL's momentum 0.9 is the weight of the old
     * running value, i.e. torch's momentum 0.1 (the PyTorch engine passes {@code 1 - momentum}).
     */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** Output channels: {@code planes}, or {@code 4 * planes} for a bottleneck. */
    public int outChannels() {
        return outChannels;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, C_in, H, W)
        NDArray y = x;
        int last = convs.size() - 1;
        for (int j = 0; j <= last; j++) {
            NDArray conv = convs.get(j).forward(ps, new NDList(y), training, params).head();
            if (y != x) {
                y.close(); // intermediates are dropped at once; autograd keeps what it saved
            }
            NDArray norm = norms.get(j).forward(ps, new NDList(conv), training, params).head();
            conv.close();
            if (j < last) {
                y = Activation.relu(norm);
                norm.close();
            } else {
                y = norm;
            }
        }
        NDArray shortcut = x;
        if (downsampleConv != null) {
            NDArray conv = downsampleConv.forward(ps, new NDList(x), training, params).head();
            shortcut = downsampleNorm.forward(ps, new NDList(conv), training, params).head();
            conv.close();
        }
        NDArray sum = y.add(shortcut);
        y.close();
        if (shortcut != x) {
            shortcut.close();
        }
        NDArray out = Activation.relu(sum); // (B, C_out, H / s, W / s)
        sum.close();
        return new NDList(out);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Conv2d conv : convs) {
            shapes = conv.getOutputShapes(shapes);
        }
        return shapes;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (int j = 0; j < convs.size(); j++) {
            convs.get(j).initialize(manager, dataType, shapes);
            shapes = convs.get(j).getOutputShapes(shapes);
            norms.get(j).initialize(manager, dataType, shapes);
        }
        if (downsampleConv != null) {
            downsampleConv.initialize(manager, dataType, inputShapes);
            downsampleNorm.initialize(manager, dataType, downsampleConv.getOutputShapes(inputShapes));
        }
    }

    /** Puts this unit's parameters under torchvision's names below {@code prefix} (e.g. {@code layer1.0}). */
    void putTorchvisionParameters(Map<String, Parameter> out, String prefix) {
        for (int j = 0; j < convs.size(); j++) {
            Backbone.putConv(out, prefix + ".conv" + (j + 1), convs.get(j));
            Backbone.putBatchNorm(out, prefix + ".bn" + (j + 1), norms.get(j));
        }
        if (downsampleConv != null) {
            Backbone.putConv(out, prefix + ".downsample.0", downsampleConv);
            Backbone.putBatchNorm(out, prefix + ".downsample.1", downsampleNorm);
        }
    }
}
