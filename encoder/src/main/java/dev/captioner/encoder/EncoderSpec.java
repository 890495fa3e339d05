package dev.captioner.encoder;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which encoder to use, as the command line writes it:
 *
 * <ul>
 *   <li>{@code resnet18}, {@code resnet34}, {@code resnet50}, {@code vgg11}, {@code vgg16}: a backbone with
 *       random weights (for benchmarks and tests; captions from it mean nothing);
 *   <li>{@code resnet18:FILE.safetensors}: the backbone with torchvision weights imported from safetensors;
 *   <li>{@code torchscript:FILE.pt}: a traced or scripted CNN;
 *   <li>{@code zoo:ARTIFACT}: a DJL model-zoo artifact (online only);
 *   <li>{@code pretrained:DIR}: an encoder saved by {@code captioner pretrain-encoder}.
 * </ul>
 *
 * Any of them may end in {@code @SIZE} to set the square input side, e.g. {@code resnet18@128}; the
 * default is 224 (a pretrained encoder brings its own).
 *
 * @param kind      what the spec names
 * @param arch      the backbone architecture, for {@link Kind#BACKBONE} and {@link Kind#SAFETENSORS}
 * @param path      the file or folder, where the kind has one
 * @param artifact  the zoo artifact, for {@link Kind#ZOO}
 * @param inputSize the input side, or 0 for the default
 */
public record EncoderSpec(Kind kind, String arch, Path path, String artifact, int inputSize) {
    /** The architectures the project builds as DJL blocks. */
    public static final List<String> ARCHITECTURES = List.of("resnet18", "resnet34", "resnet50", "resnet18-c4", "resnet50-c4", "vgg11", "vgg16");
    public static final int DEFAULT_INPUT_SIZE = 224;

    /** The kinds of encoder a spec can name. */
    public enum Kind { BACKBONE, SAFETENSORS, TORCHSCRIPT, ZOO, PRETRAINED }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException with a one-line message listing the accepted forms
     */
    public static EncoderSpec parse(String spec) {
        String text = spec.strip();
        int size = 0;
        int at = text.lastIndexOf('@');
        if (at > 0) {
            try {
                size = Integer.parseInt(text.substring(at + 1));
            } catch (NumberFormatException e) {
                throw invalid(spec, "the input size after '@' must be a whole number");
            }
            if (size < 32 || size > 1024) {
                throw invalid(spec, "the input size must be between 32 and 1024");
            }
            text = text.substring(0, at);
        }
        int colon = text.indexOf(':');
        String head = (colon < 0 ? text : text.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        if (ARCHITECTURES.contains(head)) {
            if (rest.isEmpty()) {
                return new EncoderSpec(Kind.BACKBONE, head, null, null, size);
            }
            return new EncoderSpec(Kind.SAFETENSORS, head, Path.of(rest), null, size);
        }
        if (rest.isEmpty()) {
            throw invalid(spec, "unknown encoder");
        }
        switch (head) {
            case "torchscript": return new EncoderSpec(Kind.TORCHSCRIPT, null, Path.of(rest), null, size);
            case "zoo": return new EncoderSpec(Kind.ZOO, null, null, rest, size);
            case "pretrained": return new EncoderSpec(Kind.PRETRAINED, null, Path.of(rest), null, size);
            default: throw invalid(spec, "unknown encoder kind '" + head + "'");
        }
    }

    /** The input side to use: the spec's, else the default. */
    public int inputSizeOr(int fallback) {
        return inputSize > 0 ? inputSize : fallback;
    }

    @Override
    public String toString() {
        String suffix = inputSize > 0 ? "@" + inputSize : "";
        switch (kind) {
            case BACKBONE: return arch + suffix;
            case SAFETENSORS: return arch + ":" + path + suffix;
            case TORCHSCRIPT: return "torchscript:" + path + suffix;
            case ZOO: return "zoo:" + artifact + suffix;
            default: return "pretrained:" + path + suffix;
        }
    }

    private static IllegalArgumentException invalid(String spec, String problem) {
        return new IllegalArgumentException("encoder '" + spec + "': " + problem + " (expected one of "
                + String.join(", ", ARCHITECTURES) + ", ARCH:FILE.safetensors, torchscript:FILE.pt, zoo:ARTIFACT,"
                + " pretrained:DIR, each optionally followed by @SIZE)");
    }
}
