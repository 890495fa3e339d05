package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.captioner.data.FileTrees;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.decoder.train.CaptionTrainer;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.backbone.BackboneEncoder;
import dev.captioner.encoder.cache.CacheLayout;
import dev.captioner.encoder.cache.FeatureCache;
import dev.captioner.encoder.pretrain.PretrainedEncoder;
import dev.captioner.pipeline.CachedFeatures;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages made the way {@code captioner train} makes them: from a checkpoint, with the encoder's files. */
class CheckpointPackageTest {
    @TempDir
    Path dir;

    @Test
    void aTrainingCheckpointBecomesAPackageOfItsBestWeights() throws IOException {
        KarpathySplit split = TinyModels.scenes(dir.resolve("data"), 12, 5);
        Vocabulary vocabulary = TinyModels.vocabulary(split);
        List<Path> files = TinyModels.files(dir.resolve("data"), split);
        Path cacheDir = dir.resolve("cache");
        try (FeatureExtractor extractor = FeatureExtractor.load(EncoderSpec.parse(TinyModels.ENCODER));
                FeatureCache cache = FeatureCache.create(cacheDir, CacheLayout.builder().setGrid(2, 2).setChannels(512)
                        .setEncoder(extractor.identity()).build());
                NDManager manager = NDManager.newBaseManager()) {
            var features = extractor.extract(files, manager).features();
            cache.putAll(split.images().stream().map(i -> i.id()).toList(), features.grid(), features.pooled());
        }
        DecoderConfig config = new DecoderConfig(CellType.LSTM, true, vocabulary.size(), 16, 32, 16, 512, 1, 0.2f, true, false);
        TrainingConfig training = new TrainingConfig(config, 16, 2, 3e-3f, 1f, 1, 5f, 1f, "teacher-forcing", SamplingMode.ARGMAX, 0, 0,
                12, 42, false);
        Path checkpoint = dir.resolve("run");
        try (FeatureCache cache = FeatureCache.open(cacheDir);
                CaptionTrainer trainer = CaptionTrainer.start(training, vocabulary, CaptionData.of(split, vocabulary, 12), CachedFeatures.of(cache), checkpoint)) {
            trainer.train(new CaptionTrainer.Listener() {
                @Override
                public void step(long step, int epoch, double loss, double teacherForcing, double learningRate) { }

                @Override
                public void validated(long step, int epoch, Map<String, Double> scores) { }
            }, Long.MAX_VALUE);
        }

        Path out = ModelPackage.fromCheckpoint(checkpoint, TinyModels.ENCODER).optProvenance("command", "captioner train --epochs 2")
                .write(dir.resolve("model.zip"));

        try (NDManager manager = NDManager.newBaseManager(); Captioner captioner = Captioner.load(out)) {
            CaptionDecoder best = SnapshotDecoder.load(Checkpoint.bestSnapshot(checkpoint), manager);
            assertEquals(config, best.config());
            Map<String, Parameter> want = ParameterNames.of(best);
            Map<String, Parameter> got = ParameterNames.of(captioner.model().decoder());
            assertEquals(want.keySet(), got.keySet());
            for (String name : want.keySet()) {
                assertArrayEquals(want.get(name).getArray().toFloatArray(), got.get(name).getArray().toFloatArray(), name);
            }
            Map<String, Object> provenance = captioner.model().config().provenance();
            assertEquals("captioner train --epochs 2", provenance.get("command"));
            assertEquals(checkpoint.getFileName() + "/best", provenance.get("checkpoint"), "relative to the run, no absolute path");
            assertEquals(42, ((Map<?, ?>) provenance.get("training")).get("seed"));
            assertEquals(config, captioner.model().config().decoder());
            assertTrue(captioner.caption(files.get(0)).words().size() <= Captioner.Options.DEFAULT_MAX_LENGTH);
        }

        // The best snapshot on the cached features captions as the package does on the image files.
        Captioner.Options beam = Captioner.Options.builder().optBeamSize(3).optBatchSize(5).build();
        List<Long> ids = split.images().stream().map(i -> i.id()).toList();
        try (NDManager manager = NDManager.newBaseManager(); FeatureCache cache = FeatureCache.open(cacheDir);
                Captioner captioner = Captioner.load(out, beam)) {
            Map<Long, Caption> cached = new FeatureCaptioner(SnapshotDecoder.load(checkpoint.resolve("best"), manager), vocabulary, beam)
                    .caption(cache, ids);
            assertEquals(ids, List.copyOf(cached.keySet()));
            List<CaptionResult> direct = captioner.caption(files);
            for (int i = 0; i < ids.size(); i++) {
                Caption c = cached.get(ids.get(i));
                assertEquals(direct.get(i).words(), c.words(), "image " + ids.get(i));
                assertEquals(direct.get(i).logProb(), c.logProb(), 1e-4);
                assertEquals(c.words().size(), c.attention().size(), "a 2x2 grid per word");
                for (int t = 0; t < c.words().size(); t++) {
                    assertArrayEquals(direct.get(i).attention().get(t)[1], c.attention().get(t)[1], 1e-5f);
                }
            }
        }
    }

    @Test
    void aTorchScriptEncoderTravelsInsideAZip() throws IOException {
        // The encoder module's fixture: a tiny scripted CNN giving a (B, 16, 8, 8) grid at 32 px (its make_tiny_torchscript.py).
        Path script = Path.of("../encoder/src/test/resources/torchscript/tiny_cnn.pt");
        Path copy = Files.copy(script, dir.resolve("tiny_cnn.pt"));
        KarpathySplit split = TinyModels.scenes(dir.resolve("data"), 3, 8);
        Vocabulary vocabulary = TinyModels.vocabulary(split);
        DecoderConfig config = new DecoderConfig(CellType.GRU, true, vocabulary.size(), 8, 8, 8, 16, 1, 0f, true, false);
        Path out = dir.resolve("scripted.zip");
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(config, manager, 2);
            ModelPackage.writer().setEncoder("torchscript:" + copy + "@32").setDecoder(decoder, vocabulary).write(out);
        }
        Files.delete(copy);
        try (Captioner captioner = Captioner.load(out)) {
            EncoderInfo encoder = captioner.model().config().encoder();
            assertEquals("torchscript:encoder/model.pt@32", encoder.spec());
            assertEquals(8, encoder.gridRows());
            CaptionResult result = captioner.caption(TinyModels.files(dir.resolve("data"), split).get(0));
            assertEquals(result.words().size(), result.attention().size());
            if (!result.attention().isEmpty()) {
                assertEquals(8, result.attention().get(0)[7].length);
            }
        }
    }

    @Test
    void aPretrainedEncoderTravelsInsideThePackage() throws IOException {
        Path encoderDir = dir.resolve("encoder-r18-64");
        try (BackboneEncoder backbone = BackboneEncoder.builder().setBackbone("resnet18").optInputSize(64).build()) {
            PretrainedEncoder.save(encoderDir, backbone.backbone(),
                    new PretrainedEncoder.Description("resnet18", 64, 64, Map.of("accuracy", "0.5")));
        }
        KarpathySplit split = TinyModels.scenes(dir.resolve("data"), 3, 6);
        Vocabulary vocabulary = TinyModels.vocabulary(split);
        Path out = dir.resolve("bundled.zip");
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.LSTM, true, vocabulary.size()), manager, 1);
            ModelPackage.writer().setEncoder("pretrained:" + encoderDir).setDecoder(decoder, vocabulary).optStorage(StorageType.FLOAT16)
                    .write(out);
        }
        long original = Files.size(encoderDir.resolve(PretrainedEncoder.WEIGHTS_FILE));
        try (FileSystem zip = FileSystems.newFileSystem(out, (ClassLoader) null)) {
            assertTrue(Files.isRegularFile(zip.getPath("encoder", PretrainedEncoder.CONFIG_FILE)));
            long packed = Files.size(zip.getPath("encoder", PretrainedEncoder.WEIGHTS_FILE));
            assertTrue(packed < original * 0.55, "float16 encoder weights: " + original + " -> " + packed);
        }
        assertTrue(Files.size(out) < original * 0.6, "the whole package is about half the float32 encoder");
        FileTrees.delete(encoderDir); // the package needs nothing outside itself

        try (Captioner captioner = Captioner.load(out)) {
            EncoderInfo encoder = captioner.model().config().encoder();
            assertEquals("pretrained:encoder", encoder.spec());
            assertEquals(64, encoder.resizeSize(), "the project's encoder resizes to its input side and crops nothing");
            assertTrue(encoder.identity().startsWith("resnet18@64 pretrained sha256:"), encoder.identity());
            Path image = TinyModels.files(dir.resolve("data"), split).get(0);
            assertEquals(captioner.caption(image).words().size(), captioner.caption(image).attention().size());
        }
    }
}
