package dev.captioner.app;

import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.cache.StorageType;
import dev.captioner.pipeline.FeatureExtraction;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The encoder and feature-cache options that {@code train} and {@code compare} share, as a Picocli mixin:
 * which encoder makes the features, where they are cached, how a new cache stores them.
 */
final class FeatureOptions {
    @Option(names = "--encoder", paramLabel = "SPEC", description = "Required. resnet18 | ARCH:FILE.safetensors | torchscript:FILE.pt | zoo:ARTIFACT | pretrained:DIR, optionally @SIZE (as for 'captioner features').")
    String encoder;

    @Option(names = "--cache", paramLabel = "DIR", description = "The feature cache: filled with the images it lacks, reused otherwise (default: OUT-features beside --out).")
    Path cache;

    @Option(names = "--storage", paramLabel = "float32|float16", description = "StorageType of a new cache (default: an existing cache's, else float32).")
    String storage;

    @Option(names = "--encoder-batch", defaultValue = "16", paramLabel = "N", description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int encoderBatch;

    /** The first bad value, as {option key, problem}; null when all are good. */
    String[] problem() {
        if (encoder == null) {
            return new String[] {"encoder", "SPEC is required"};
        }
        try {
            EncoderSpec.parse(encoder);
        } catch (IllegalArgumentException e) {
            return new String[] {"encoder", e.getMessage()};
        }
        if (storage != null && StorageType.fromJsonName(storage) == null) {
            return new String[] {"storage", "must be float32 or float16, not '" + storage + "'"};
        }
        if (encoderBatch < 1) {
            return new String[] {"encoder-batch", "must be at least 1, got " + encoderBatch};
        }
        return null;
    }

    /** The parsed --encoder (after {@link #problem()} found none). */
    EncoderSpec encoderSpec() {
        return EncoderSpec.parse(encoder);
    }

    /** The cache folder: --cache, or OUT-features beside the output folder, so runs on one dataset and encoder can share it. */
    Path cacheDir(Path out) {
        if (cache != null) {
            return cache;
        }
        Path absolute = out.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + "-features");
    }

    /** Fills the cache as these options say, on the engine's default device. */
    FeatureExtraction extraction() {
        return extraction(null);
    }

    /** Fills the cache as these options say, the encoder on {@code device} (null: the engine's default). */
    FeatureExtraction extraction(ai.djl.Device device) {
        return new FeatureExtraction(encoderSpec(), storage == null ? null : StorageType.fromJsonName(storage), encoderBatch, device);
    }
}
