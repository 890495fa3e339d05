package dev.captioner.encoder.pretrain;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.captioner.encoder.backbone.Backbone;
import dev.captioner.encoder.backbone.Backbones;
import dev.captioner.encoder.image.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains a backbone on synth-scenes, so that the default pipeline has a genuinely pretrained, frozen
 * encoder, as the captioning papers do with ImageNet. The backbone is followed by global average pooling
 * and one linear layer that predicts {@link SceneTargets} (which colour-shape pairs are present, how
 * many objects, which layout cells are occupied), trained with {@link PretrainingLoss} and Adam; the
 * head is thrown away afterwards. Held-out accuracy is measured on another split after every epoch.
 */
public final class EncoderPretraining {
    /** Called after every training step and after each evaluation. */
    public interface Listener {
        void step(int epoch, long stepInEpoch, long stepsPerEpoch, double loss);

        void evaluated(int epoch, PretrainingAccuracy accuracy);
    }

    private final String arch;
    private final int inputSize;
    private final int batchSize;
    private final int epochs;
    private final float learningRate;
    private final long seed;
    private final int maxObjects;
    private final boolean denseSizes;

    private EncoderPretraining(Builder b) {
        this.arch = b.arch;
        this.inputSize = b.inputSize;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.maxObjects = b.maxObjects;
        this.denseSizes = b.denseSizes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxObjects() {
        return maxObjects;
    }

    /** What the heads are trained to predict. */
    public SceneTargets targets() {
        return new SceneTargets(maxObjects, denseSizes);
    }

    /** The side of the encoder's grid at this input size: what the dense targets are made for. */
    public int gridSide() {
        return (int) Backbones.create(arch).featureMapShape(inputSize).get(2);
    }

    /** The result: the held-out accuracy after each epoch, and the loss of each epoch. */
    public record Result(List<PretrainingAccuracy> heldOut, List<Double> epochLoss) {
        public PretrainingAccuracy last() {
            return heldOut.get(heldOut.size() - 1);
        }
    }

    /**
     * Trains on {@code train}, evaluates on {@code heldOut} after every epoch, and saves the backbone to
     * {@code out} (see {@link PretrainedEncoder}) after every epoch, so an interrupted run keeps the
     * last finished epoch.
     */
    public Result train(LabelledScenes train, LabelledScenes heldOut, Path out, Map<String, String> facts,
            Listener listener) throws IOException {
        SceneTargets targets = targets();
        // Synth images are drawn to fill the frame: resize to the input side and crop nothing.
        ImagePreprocessor preprocessor = ImagePreprocessor.builder().optInputSize(inputSize).optResizeSize(inputSize).build();
        Backbone backbone = Backbones.create(arch);
        SequentialBlock net = new SequentialBlock()
                .add(backbone) // (B, D, H', W')
                .add(new PretrainingHead(targets)); // (B, width) and (B, L, dense labels) logits
        List<PretrainingAccuracy> accuracies = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        try (Model model = Model.newInstance("encoder-pretraining")) {
            model.getNDManager().getEngine().setRandomSeed((int) seed);
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, inputSize, inputSize));
            DefaultTrainingConfig config = new DefaultTrainingConfig(new PretrainingLoss(targets))
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                SplittableRandom random = new SplittableRandom(seed);
                int[] order = new int[train.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                long steps = (train.size() + batchSize - 1) / batchSize;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    shuffle(order, random);
                    double lossSum = 0;
                    for (long step = 0; step < steps; step++) {
                        int from = (int) (step * batchSize);
                        int to = Math.min(train.size(), from + batchSize);
                        double loss = trainStep(trainer, preprocessor, targets, train, order, from, to);
                        lossSum += loss;
                        listener.step(epoch, step + 1, steps, loss);
                    }
                    losses.add(lossSum / steps);
                    PretrainingAccuracy accuracy = evaluate(net, model.getNDManager(), preprocessor, targets, heldOut);
                    accuracies.add(accuracy);
                    listener.evaluated(epoch, accuracy);
                    Map<String, String> all = new LinkedHashMap<>(facts);
                    all.put("epochs", String.valueOf(epoch));
                    all.put("held_out_images", String.valueOf(accuracy.images()));
                    all.put("held_out_objects_named", String.format("%.4f", accuracy.objectsNamed()));
                    if (denseSizes) {
                        all.put("dense_sizes", "true");
                        all.put("held_out_objects_sized", String.format("%.4f", accuracy.objectsSized()));
                    }
                    all.put("held_out_exact_pairs", String.format("%.4f", accuracy.exactPairs()));
                    all.put("held_out_pair_labels", String.format("%.4f", accuracy.pairLabels()));
                    all.put("held_out_count", String.format("%.4f", accuracy.count()));
                    all.put("held_out_exact_cells", String.format("%.4f", accuracy.exactCells()));
                    PretrainedEncoder.save(out, backbone, new PretrainedEncoder.Description(arch, inputSize, inputSize, all));
                }
            }
        }
        return new Result(accuracies, losses);
    }

    private double trainStep(Trainer trainer, ImagePreprocessor preprocessor, SceneTargets targets, LabelledScenes data,
            int[] order, int from, int to) throws IOException {
        try (NDManager step = trainer.getManager().newSubManager()) {
            List<Path> files = new ArrayList<>(to - from);
            float[] rows = new float[(to - from) * targets.width()];
            float[] dense = new float[(to - from) * data.denseWidth()];
            for (int i = from; i < to; i++) {
                files.add(data.image(order[i]));
                data.copyTargets(order[i], rows, (i - from) * targets.width());
                data.copyDenseTargets(order[i], dense, (i - from) * data.denseWidth());
            }
            NDArray images = preprocessor.batch(files, step); // (B, 3, S, S)
            NDList labels = new NDList(step.create(rows, new Shape(to - from, targets.width())), // (B, width)
                    step.create(dense, new Shape(to - from, data.denseWidth() / targets.denseLabels(), targets.denseLabels()))); // (B, L, labels)
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(images));
                NDArray value = trainer.getLoss().evaluate(labels, logits);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            // Gradients are fetched as new handles each step (DJL_NOTES): give them to the step's scope.
            for (var parameter : trainer.getModel().getBlock().getParameters().values()) {
                if (parameter.requiresGradient() && parameter.getArray().hasGradient()) {
                    parameter.getArray().getGradient().attach(step);
                }
            }
            return loss;
        }
    }

    private PretrainingAccuracy evaluate(Block net, NDManager parent, ImagePreprocessor preprocessor, SceneTargets targets,
            LabelledScenes data) throws IOException {
        PretrainingAccuracy accuracy = new PretrainingAccuracy(targets);
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            try (NDManager step = parent.newSubManager()) {
                List<Path> files = new ArrayList<>(to - from);
                float[] rows = new float[(to - from) * targets.width()];
                float[] dense = new float[(to - from) * data.denseWidth()];
                for (int i = from; i < to; i++) {
                    files.add(data.image(i));
                    data.copyTargets(i, rows, (i - from) * targets.width());
                    data.copyDenseTargets(i, dense, (i - from) * data.denseWidth());
                }
                NDArray images = preprocessor.batch(files, step);
                NDList logits = net.forward(new ParameterStore(step, false), new NDList(images), false);
                accuracy.add(logits.get(0).toFloatArray(), rows);
                accuracy.addDense(logits.get(1).toFloatArray(), dense);
            }
        }
        return accuracy;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Settings of a pretraining run. */
    public static final class Builder {
        private String arch = "resnet18";
        private int inputSize = 128;
        private int batchSize = 32;
        private int epochs = 5;
        private float learningRate = 1e-3f;
        private long seed;
        private int maxObjects = 4;
        private boolean denseSizes;

        Builder() {}

        public Builder optArchitecture(String arch) {
            if (!Backbones.names().contains(arch)) {
                throw new IllegalArgumentException("unknown architecture '" + arch + "' (known: " + Backbones.names() + ")");
            }
            this.arch = arch;
            return this;
        }

        public Builder optInputSize(int inputSize) {
            if (inputSize < 32 || inputSize > 1024) {
                throw new IllegalArgumentException("input size must be between 32 and 1024, got " + inputSize);
            }
            this.inputSize = inputSize;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            if (batchSize < 2) {
                throw new IllegalArgumentException("batch size must be at least 2 (batch norm), got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder optEpochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optMaxObjects(int maxObjects) {
            if (maxObjects < 1 || maxObjects > 9) {
                throw new IllegalArgumentException("max objects must be between 1 and 9, got " + maxObjects);
            }
            this.maxObjects = maxObjects;
            return this;
        }

        /** Whether the dense head also names each object's size (default: colour-shape pairs only). */
        public Builder optDenseSizes(boolean denseSizes) {
            this.denseSizes = denseSizes;
            return this;
        }

        public EncoderPretraining build() {
            return new EncoderPretraining(this);
        }
    }
}
