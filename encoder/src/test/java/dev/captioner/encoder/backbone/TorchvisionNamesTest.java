package dev.captioner.encoder.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names, shapes and parameter counts against torchvision's state_dict, as listed by
 * src/test/python/torchvision_names.py in src/test/resources/torchvision-names.
 */
class TorchvisionNamesTest {

    @ParameterizedTest(name = "{0}: {1} weights")
    @CsvSource({
        // sum(p.numel() for p in model.parameters()) without fc.* (ResNet) or classifier.* (VGG)
        "resnet18, 11176512",
        "resnet34, 21284672",
        "resnet50, 23508032",
        "resnet101, 42500160",
        "resnet152, 58143808",
        "vgg11, 9220480",
        "vgg13, 9404992",
        "vgg16, 14714688",
        "vgg19, 20024384"
    })
    void namesShapesAndCountsMatchTorchvision(String name, long weights) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        long expectedWeights = 0;
        for (TorchvisionFixtures.Entry e : TorchvisionFixtures.stateDict(name)) {
            if (!SafetensorsImport.isIgnored(e.name())) {
                expected.put(e.name(), e.shape());
                if (!e.name().endsWith("running_mean") && !e.name().endsWith("running_var")) {
                    expectedWeights += e.shape().size();
                }
            }
        }
        assertEquals(weights, expectedWeights, "the committed list disagrees with the count");

        Backbone backbone = Backbones.create(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Parameter> params = backbone.torchvisionParameters();
            // same keys in the same (state_dict) order
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(params.keySet()));
            List<String> wrongShapes = new ArrayList<>();
            params.forEach(
                    (key, p) -> {
                        if (!p.getShape().equals(expected.get(key))) {
                            wrongShapes.add(key + " " + p.getShape() + " vs " + expected.get(key));
                        }
                    });
            assertEquals(List.of(), wrongShapes);
            // every DJL parameter has exactly one torchvision name
            assertEquals(backbone.getParameters().size(), params.size());
            assertEquals(weights, backbone.parameterCount());
        }
    }
}
