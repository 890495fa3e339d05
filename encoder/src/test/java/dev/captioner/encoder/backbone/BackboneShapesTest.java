package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Feature-map shapes from getOutputShapes alone: no parameters, no forward pass. */
class BackboneShapesTest {

    @ParameterizedTest(name = "{0} at 224 -> (1, {1}, {2}, {2})")
    @CsvSource({
        "resnet18, 512, 7",
        "resnet34, 512, 7",
        "resnet50, 2048, 7",
        "resnet101, 2048, 7",
        "resnet152, 2048, 7",
        "vgg11, 512, 14",
        "vgg13, 512, 14",
        "vgg16, 512, 14",
        "vgg19, 512, 14"
    })
    void gridAt224(String name, int channels, int side) {
        Backbone backbone = Backbones.create(name);
        assertEquals(new Shape(1, channels, side, side), backbone.featureMapShape(224));
        assertEquals(channels, backbone.featureSize());
        assertEquals(name, backbone.name());
        Shape[] batch = backbone.getOutputShapes(new Shape[] {new Shape(8, 3, 224, 224)});
        assertEquals(new Shape(8, channels, side, side), batch[0]);
    }

    @ParameterizedTest(name = "{0} at {1}x{2} -> {3}x{4}")
    @CsvSource({
        // conv1/2, maxpool/2 and three stride-2 stages each map n to floor((n - 1) / 2) + 1
        "resnet18, 64, 64, 2, 2",
        "resnet18, 225, 225, 8, 8",
        "resnet50, 480, 640, 15, 20",
        "resnet34, 97, 33, 4, 2",
        // four 2x2 max-pools each map n to floor(n / 2)
        "vgg11, 32, 32, 2, 2",
        "vgg16, 225, 225, 14, 14",
        "vgg19, 480, 640, 30, 40"
    })
    void anyInputSize(String name, int height, int width, int outHeight, int outWidth) {
        Backbone backbone = Backbones.create(name);
        Shape out = backbone.getOutputShapes(new Shape[] {new Shape(2, 3, height, width)})[0];
        assertEquals(new Shape(2, backbone.featureSize(), outHeight, outWidth), out);
    }

    @Test
    void buildersCheckTheirSettings() {
        assertEquals(18, ResNet.builder().setDepth(18).build().depth());
        assertEquals(16, Vgg.builder().setDepth(16).build().depth());
        assertThrows(IllegalArgumentException.class, () -> ResNet.builder().setDepth(20));
        assertThrows(IllegalArgumentException.class, () -> Vgg.builder().setDepth(12));
        assertThrows(IllegalStateException.class, () -> ResNet.builder().build());
        assertThrows(IllegalStateException.class, () -> Vgg.builder().build());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Backbones.create("resnet20"));
        assertTrue(e.getMessage().contains("resnet18"), e.getMessage());
        assertEquals("vgg16", Backbones.create("VGG16").name());
        assertEquals(12, Backbones.names().size(), "5 ResNets, 3 of them also cut after layer3 (-c4), 4 VGGs");
    }

    @Test
    void resnetStagesHaveTorchvisionUnitCounts() {
        ResNet resnet34 = ResNet.builder().setDepth(34).build();
        assertEquals(
                java.util.List.of(3, 4, 6, 3),
                resnet34.layers().stream().map(java.util.List::size).toList());
        ResNet resnet50 = ResNet.builder().setDepth(50).build();
        assertEquals(256, resnet50.layers().get(0).get(0).outChannels());
    }
}
