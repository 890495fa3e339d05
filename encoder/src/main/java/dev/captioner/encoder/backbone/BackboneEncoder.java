package dev.captioner.encoder.backbone;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.ImageEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An {@link ImageEncoder} running a {@link Backbone} block held by a DJL {@link Model}: one forward
 * pass gives the (B, C, H', W') map, which becomes the (B, L, C) grid and the (B, C) pooled vector.
 *
 * <pre>
 * try (ImageEncoder encoder = BackboneEncoder.builder().setBackbone("resnet18")
 *         .optWeights(Path.of("resnet18.safetensors")).build()) {
 *     EncodedImages out = encoder.encode(images); // images (B, 3, 224, 224) -> grid (B, 49, 512)
 * }
 * </pre>
 *
 * <p>Parameters are frozen (no gradients recorded) unless {@link Builder#optTrainable} says
 * otherwise; batch norm always uses its running statistics here, since {@link #encode} runs in
 * inference mode.
 */
public final class BackboneEncoder implements ImageEncoder {

    private final Model model;
    private final Backbone backbone;
    private final int inputSize;
    private final Shape mapShape; // (1, C, H', W') at inputSize

    private BackboneEncoder(Model model, Backbone backbone, int inputSize) {
        this.model = model;
        this.backbone = backbone;
        this.inputSize = inputSize;
        this.mapShape = backbone.featureMapShape(inputSize);
    }

    /** {@inheritDoc} */
    @Override
    public EncodedImages encode(NDArray images) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3) {
            throw new IllegalArgumentException("expected images (B, 3, S, S), got " + shape);
        }
        ParameterStore store = new ParameterStore(images.getManager(), false);
        NDArray map = backbone.forward(store, new NDList(images), false).head(); // (B, C, H', W')
        EncodedImages encoded = EncodedImages.fromFeatureMap(map);
        map.close(); // the grid is a view of its storage
        return encoded;
    }

    /** {@inheritDoc} */
    @Override
    public int inputSize() {
        return inputSize;
    }

    /** {@inheritDoc} */
    @Override
    public int featureSize() {
        return backbone.featureSize();
    }

    /** {@inheritDoc} */
    @Override
    public int locations() {
        return Math.toIntExact(mapShape.get(2) * mapShape.get(3));
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return backbone.name() + "@" + inputSize + " (" + mapShape.get(2) + "x" + mapShape.get(3)
                + "x" + mapShape.get(1) + ")";
    }

    /** The block, e.g. to read or copy its parameters. */
    public Backbone backbone() {
        return backbone;
    }

    /** The model that owns the parameters. */
    public Model model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Creates a builder; {@link Builder#setBackbone} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BackboneEncoder}. */
    public static final class Builder {

        private Backbone backbone;
        private int inputSize = 224;
        private Path weights;
        private boolean trainable;
        private Device device;

        Builder() {}

        /** Sets the backbone, a fresh uninitialised block that the encoder will own. */
        public Builder setBackbone(Backbone backbone) {
            this.backbone = Objects.requireNonNull(backbone, "backbone");
            return this;
        }

        /** Sets the backbone by name, see {@link Backbones#names()}. */
        public Builder setBackbone(String name) {
            return setBackbone(Backbones.create(name));
        }

        /** The square input side S, 224 by default; the block itself accepts any size. */
        public Builder optInputSize(int inputSize) {
            if (inputSize < 32) {
                throw new IllegalArgumentException("input size must be at least 32, not " + inputSize);
            }
            this.inputSize = inputSize;
            return this;
        }

        /**
         * torchvision weights as safetensors (or npz), see {@link SafetensorsImport}; without them
         * the parameters keep torchvision's random initialisation.
         */
        public Builder optWeights(Path weights) {
            this.weights = weights;
            return this;
        }

        /** Whether the parameters record gradients, for fine-tuning; false by default. */
        public Builder optTrainable(boolean trainable) {
            this.trainable = trainable;
            return this;
        }

        /** Where the parameters live and the images are encoded; default: the engine's default device (what DJL finds). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Initialises the parameters and imports the weights.
         *
         * @throws IOException when the weights cannot be read or do not fit the backbone
         */
        public BackboneEncoder build() throws IOException {
            if (backbone == null) {
                throw new IllegalStateException("BackboneEncoder.builder(): setBackbone is required");
            }
            Model model = Model.newInstance(backbone.name(), device);
            try {
                model.setBlock(backbone);
                backbone.initialize(
                        model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, inputSize, inputSize));
                if (weights != null) {
                    SafetensorsImport.load(backbone, weights);
                }
                backbone.freezeParameters(!trainable);
                return new BackboneEncoder(model, backbone, inputSize);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }
}
