package dev.captioner.encoder.backbone;

import java.util.List;
import java.util.Locale;

/**
 * Backbones by their torchvision names: {@code Backbones.create("resnet18")}; {@code resnet18-c4} is the
 * same network cut after {@code layer3}, for a grid twice as fine.
 */
public final class Backbones {

    private static final List<String> NAMES =
            List.of(
                    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
                    "resnet18-c4", "resnet34-c4", "resnet50-c4",
                    "vgg11", "vgg13", "vgg16", "vgg19");

    private Backbones() {}

    /** The names {@link #create} accepts, ResNets first. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new, uninitialised backbone.
     *
     * @param name a torchvision name from {@link #names()}, case-insensitive
     * @throws IllegalArgumentException for any other name
     */
    public static Backbone create(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException(
                    "unknown backbone '" + name + "'; known: " + String.join(", ", NAMES));
        }
        if (key.startsWith("resnet")) {
            // NAME-c4: cut after layer3 (conv4_x), as detection backbones name it.
            boolean c4 = key.endsWith("-c4");
            int depth = Integer.parseInt(key.substring(6, c4 ? key.length() - 3 : key.length()));
            return ResNet.builder().setDepth(depth).optStages(c4 ? 3 : 4).build();
        }
        return Vgg.builder().setDepth(Integer.parseInt(key.substring(3))).build();
    }
}
