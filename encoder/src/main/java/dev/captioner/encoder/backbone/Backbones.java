package dev.captioner.encoder.backbone;

import java.util.List;
import java.util.Locale;

/** Backbones by their torchvision names: {@code Backbones.create("resnet18")}. */
public final class Backbones {

    private static final List<String> NAMES =
            List.of(
                    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
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
            return ResNet.builder().setDepth(Integer.parseInt(key.substring(6))).build();
        }
        return Vgg.builder().setDepth(Integer.parseInt(key.substring(3))).build();
    }
}
