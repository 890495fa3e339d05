package dev.captioner.pipeline.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.Captions;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny real models for the package tests: synth-scenes images at 64 px, ResNet-18 with its fixed-seed
 * random weights at 64 px (a 2x2x512 grid), and small decoders with seeded random weights.
 */
final class TinyModels {
    /** The encoder every tiny package uses: no files, weights from a fixed seed. */
    static final String ENCODER = "resnet18@64";
    static final int LOCATIONS = 4;

    private TinyModels() {}

    /** Writes {@code count} synth-scenes images (JPEG, 64 px) and their captions into {@code dir}. */
    static KarpathySplit scenes(Path dir, int count, long seed) throws IOException {
        SynthScenes.builder().setImages(count).optSize(64).optSeed(seed).build().write(dir, done -> { });
        return KarpathySplit.read(dir.resolve(SynthScenes.KARPATHY_FILE));
    }

    static List<Path> files(Path dir, KarpathySplit split) {
        List<Path> files = new ArrayList<>();
        for (KarpathyImage image : split.images()) {
            files.add(dir.resolve(image.relativePath()));
        }
        return files;
    }

    static Vocabulary vocabulary(KarpathySplit split) {
        List<List<String>> tokens = new ArrayList<>();
        for (KarpathyImage image : split.images()) {
            for (KarpathySentence sentence : image.sentences()) {
                tokens.add(sentence.tokens());
            }
        }
        return Vocabulary.build(tokens, 1);
    }

    static DecoderConfig config(CellType cell, boolean attention, int vocabularySize) {
        return new DecoderConfig(cell, attention, vocabularySize, 16, 32, 16, 512, 1, 0.2f, true, false);
    }

    /** A decoder with random weights drawn from {@code seed}, its parameters in {@code manager}. */
    static CaptionDecoder decoder(DecoderConfig config, NDManager manager, int seed) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        CaptionDecoder decoder = new CaptionDecoder(config);
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, LOCATIONS, config.featureSize()),
                new Shape(1, config.featureSize()), new Shape(1, 1));
        // Spread the logits, so that greedy captions do not hang on near-ties.
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            if (p.getKey().contains("fc")) {
                NDArray array = p.getValue().getArray();
                array.set(array.mul(8).toByteBuffer());
            }
        }
        return decoder;
    }

    /** Every weight rounded to float16 and back, as a float16 package stores it. */
    static void roundToFloat16(CaptionDecoder decoder) {
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            NDArray array = p.getValue().getArray();
            array.set(array.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toByteBuffer());
        }
    }

    /** What the package should say: greedy search over the encoder's features of the files, all in one batch. */
    static Captions reference(CaptionDecoder decoder, List<Path> files, int maxLength) throws IOException {
        try (FeatureExtractor extractor = FeatureExtractor.load(EncoderSpec.parse(ENCODER));
                NDManager manager = NDManager.newBaseManager()) {
            EncodedImages features = extractor.extract(files, manager).features();
            return new GreedySearch(maxLength).decode(decoder, decoder.config().attention() ? features.grid() : null,
                    features.pooled());
        }
    }
}
