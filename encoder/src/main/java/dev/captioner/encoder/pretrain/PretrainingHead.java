package dev.captioner.encoder.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The two heads of the encoder's pretraining on a (B, D, H', W') feature map:
 *
 * <ul>
 *   <li>global: the map's mean over locations, then a linear layer to the {@link SceneTargets} row
 *       (pairs present, count, cells occupied): (B, width);
 *   <li>dense: the same linear map at every location to the 42 colour-shape pairs (and, where the targets
 *       name them, the 2 sizes), (B, L, 42 or 44). It is trained to name the object whose centre falls in
 *       that location, so each location's features say what is there: what soft attention reads.
 * </ul>
 */
public final class PretrainingHead extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Linear global;
    private final Linear dense;
    private final int denseLabels;

    public PretrainingHead(SceneTargets targets) {
        super(VERSION);
        global = addChildBlock("global", Linear.builder().setUnits(targets.width()).build());
        dense = addChildBlock("dense", Linear.builder().setUnits(targets.denseLabels()).build());
        denseLabels = targets.denseLabels();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray map = inputs.head(); // (B, D, H', W')
        long b = map.getShape().get(0);
        long d = map.getShape().get(1);
        NDArray grid = map.reshape(b, d, -1).transpose(0, 2, 1); // (B, L, D)
        NDArray pooled = grid.mean(new int[] {1}); // (B, D)
        NDArray globalLogits = global.forward(store, new NDList(pooled), training).head(); // (B, width)
        NDArray denseLogits = dense.forward(store, new NDList(grid), training).head(); // (B, L, dense labels)
        return new NDList(globalLogits, denseLogits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape map = inputShapes[0];
        long locations = map.get(2) * map.get(3);
        Shape globalOut = global.getOutputShapes(new Shape[] {new Shape(map.get(0), map.get(1))})[0];
        return new Shape[] {globalOut, new Shape(map.get(0), locations, denseLabels)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape map = inputShapes[0];
        global.initialize(manager, dataType, new Shape(map.get(0), map.get(1)));
        dense.initialize(manager, dataType, new Shape(map.get(0), map.get(2) * map.get(3), map.get(1)));
    }
}
