package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.ImageEncoder;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real forward passes at small sizes; the encoder contract. */
class BackboneEncoderTest {

    @Test
    void resnet18EncodesABatchAt64() throws IOException {
        try (ImageEncoder encoder =
                        BackboneEncoder.builder().setBackbone("resnet18").optInputSize(64).build();
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(64, encoder.inputSize());
            assertEquals(512, encoder.featureSize());
            assertEquals(4, encoder.locations());
            assertEquals("resnet18@64 (2x2x512)", encoder.describe());

            NDArray images = manager.randomNormal(new Shape(2, 3, 64, 64));
            EncodedImages out = encoder.encode(images);
            assertEquals(new Shape(2, 4, 512), out.grid().getShape());
            assertEquals(new Shape(2, 512), out.pooled().getShape());
            assertEquals(manager, out.grid().getManager()); // results belong to the input's manager
            assertFalse(out.grid().isNaN().any().getBoolean());
            assertTrue(out.grid().min().getFloat() >= 0f); // layer4 ends in a ReLU

            // the batch does not mix: image 1 alone gives what it gave in the batch
            EncodedImages single = encoder.encode(images.get("1:2"));
            assertArrayEquals(out.grid().get("1:2").toFloatArray(), single.grid().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void vgg11EncodesAt32AndAnotherSize() throws IOException {
        try (ImageEncoder encoder = BackboneEncoder.builder().setBackbone("vgg11").optInputSize(32).build();
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals("vgg11@32 (2x2x512)", encoder.describe());
            EncodedImages out = encoder.encode(manager.randomNormal(new Shape(1, 3, 32, 32)));
            assertEquals(new Shape(1, 4, 512), out.grid().getShape());
            // the block takes any size; locations() speaks of the configured one
            EncodedImages larger = encoder.encode(manager.randomNormal(new Shape(1, 3, 48, 64)));
            assertEquals(new Shape(1, 12, 512), larger.grid().getShape());
        }
    }

    @Test
    void describesItselfAt224WithoutAForward() throws IOException {
        try (ImageEncoder encoder = BackboneEncoder.builder().setBackbone("resnet50").build()) {
            assertEquals("resnet50@224 (7x7x2048)", encoder.describe());
            assertEquals(49, encoder.locations());
            assertEquals(2048, encoder.featureSize());
        }
    }

    @Test
    void rejectsWhatIsNotAnImageBatch() throws IOException {
        try (ImageEncoder encoder =
                        BackboneEncoder.builder().setBackbone("vgg11").optInputSize(32).build();
                NDManager manager = NDManager.newBaseManager()) {
            NDArray gray = manager.zeros(new Shape(1, 1, 32, 32));
            NDArray unbatched = manager.zeros(new Shape(3, 32, 32));
            assertThrows(IllegalArgumentException.class, () -> encoder.encode(gray));
            assertThrows(IllegalArgumentException.class, () -> encoder.encode(unbatched));
        }
        assertThrows(IllegalStateException.class, () -> BackboneEncoder.builder().build());
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> BackboneEncoder.builder()
                                .setBackbone("vgg11")
                                .optWeights(Path.of("no-such-file.safetensors"))
                                .build());
        assertTrue(e.getMessage().contains("no-such-file"), e.getMessage());
    }

    @Test
    void frozenByDefaultTrainableOnRequest() throws IOException {
        try (BackboneEncoder frozen =
                        BackboneEncoder.builder().setBackbone("vgg11").optInputSize(32).build();
                BackboneEncoder trainable =
                        BackboneEncoder.builder()
                                .setBackbone("vgg11")
                                .optInputSize(32)
                                .optTrainable(true)
                                .build()) {
            String key = "features.0.weight";
            assertFalse(frozen.backbone().torchvisionParameters().get(key).requiresGradient());
            assertTrue(trainable.backbone().torchvisionParameters().get(key).requiresGradient());
        }
    }

    /** DJL's own parameter file restores a backbone (as a model package would hold it). */
    @Test
    void savesAndLoadsWithDjlModel(@TempDir Path dir) throws IOException, MalformedModelException {
        try (BackboneEncoder encoder =
                        BackboneEncoder.builder().setBackbone("resnet18").optInputSize(32).build();
                Model restored = Model.newInstance("resnet18");
                NDManager manager = NDManager.newBaseManager()) {
            encoder.model().setProperty("Epoch", "0");
            encoder.model().save(dir, "resnet18");
            Backbone backbone = Backbones.create("resnet18");
            restored.setBlock(backbone);
            restored.load(dir, "resnet18");
            NDArray images = manager.randomNormal(new Shape(1, 3, 32, 32));
            NDArray expected = encoder.encode(images).grid();
            NDArray actual =
                    backbone.forward(new ParameterStore(manager, false), new NDList(images), false)
                            .head();
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-6f);
        }
    }

    /** Training mode: gradients reach the stem, and batch norm updates its running statistics. */
    @Test
    void resnet18TrainsAt32() {
        Backbone resnet18 = Backbones.create("resnet18");
        try (NDManager manager = NDManager.newBaseManager()) {
            resnet18.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            Parameter conv1 = resnet18.torchvisionParameters().get("conv1.weight");
            Parameter runningMean = resnet18.torchvisionParameters().get("bn1.running_mean");
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray images = step.randomNormal(new Shape(2, 3, 32, 32));
                NDArray map =
                        resnet18.forward(new ParameterStore(step, false), new NDList(images), true).head();
                assertEquals(new Shape(2, 512, 1, 1), map.getShape());
                collector.backward(map.sum());
                NDArray gradient = conv1.getArray().getGradient();
                gradient.attach(step);
                assertTrue(gradient.abs().sum().getFloat() > 0f, "no gradient reached conv1");
            }
            assertTrue(runningMean.getArray().abs().sum().getFloat() > 0f, "running mean not updated");
        }
    }
}
