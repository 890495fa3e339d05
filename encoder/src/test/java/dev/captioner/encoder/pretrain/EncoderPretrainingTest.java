package dev.captioner.encoder.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.backbone.BackboneEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training of a real backbone on real synth-scenes files, at a size that runs in seconds. */
class EncoderPretrainingTest {
    @TempDir
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeScenes() throws IOException {
        SynthScenes.builder().setImages(40).optSize(64).optSeed(11).build().write(data, done -> { });
    }

    @Test
    void targetsDescribeTheScene() throws IOException {
        SceneTargets targets = new SceneTargets(4);
        LabelledScenes train = LabelledScenes.read(data, "train", targets, 1);
        assertEquals(32, train.size());
        float[] row = new float[targets.width()];
        train.copyTargets(0, row, 0);
        int pairs = 0;
        int counts = 0;
        int cells = 0;
        for (int i = 0; i < SceneTargets.PAIRS; i++) {
            pairs += (int) row[i];
        }
        int count = -1;
        for (int c = 0; c < 4; c++) {
            counts += (int) row[SceneTargets.PAIRS + c];
            count = row[SceneTargets.PAIRS + c] == 1f ? c + 1 : count;
        }
        for (int i = SceneTargets.PAIRS + 4; i < targets.width(); i++) {
            cells += (int) row[i];
        }
        assertEquals(1, counts, "one count class");
        assertEquals(count, pairs, "no two objects share colour and shape");
        assertEquals(count, cells, "one object per cell");
    }

    @Test
    void trainsSavesAndReloadsTheSameBackbone() throws IOException {
        SceneTargets targets = new SceneTargets(4);
        LabelledScenes train = LabelledScenes.read(data, "train", targets, 1);
        LabelledScenes val = LabelledScenes.read(data, "val", targets, 1);
        List<Double> losses = new ArrayList<>();
        EncoderPretraining pretraining = EncoderPretraining.builder().optInputSize(32).optBatchSize(8).optEpochs(3)
                .optLearningRate(3e-3f).optSeed(1).build();
        Path out = dir.resolve("encoder");
        EncoderPretraining.Result result = pretraining.train(train, val, out, Map.of("data", "test"),
                new EncoderPretraining.Listener() {
                    @Override
                    public void step(int epoch, long step, long steps, double loss) {
                        losses.add(loss);
                    }

                    @Override
                    public void evaluated(int epoch, PretrainingAccuracy accuracy) {}
                });
        assertEquals(12, losses.size(), "3 epochs of 4 steps");
        assertEquals(3, result.heldOut().size());
        assertEquals(4, result.last().images());
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(10) + losses.get(11)) / 2;
        assertTrue(last < first, "the loss falls: " + losses);

        PretrainedEncoder.Description description = PretrainedEncoder.describe(out);
        assertEquals("resnet18", description.arch());
        assertEquals(32, description.inputSize());
        assertEquals("3", description.facts().get("epochs"));
        try (BackboneEncoder a = PretrainedEncoder.load(out); BackboneEncoder b = PretrainedEncoder.load(out);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 3, 32, 32));
            try (EncodedImages ea = a.encode(x); EncodedImages eb = b.encode(x)) {
                assertEquals(new Shape(2, 1, 512), ea.grid().getShape());
                assertArrayEquals(ea.pooled().toFloatArray(), eb.pooled().toFloatArray(), "saved weights load deterministically");
            }
        }
    }

    @Test
    void withDenseSizesTheHeldOutSizesAreMeasuredAndRecorded() throws IOException {
        EncoderPretraining pretraining = EncoderPretraining.builder().optInputSize(64).optBatchSize(8).optEpochs(1)
                .optLearningRate(3e-3f).optSeed(1).optDenseSizes(true).build();
        SceneTargets targets = pretraining.targets();
        LabelledScenes train = LabelledScenes.read(data, "train", targets, pretraining.gridSide());
        LabelledScenes val = LabelledScenes.read(data, "val", targets, pretraining.gridSide());
        assertEquals(pretraining.gridSide() * pretraining.gridSide() * (SceneTargets.PAIRS + SceneTargets.SIZES), train.denseWidth());
        Path out = dir.resolve("sized");
        EncoderPretraining.Result result = pretraining.train(train, val, out, Map.of(), new EncoderPretraining.Listener() {
            @Override
            public void step(int epoch, long step, long steps, double loss) {}

            @Override
            public void evaluated(int epoch, PretrainingAccuracy accuracy) {}
        });
        double sized = result.last().objectsSized();
        assertTrue(sized >= 0 && sized <= 1, "a share: " + sized);
        Map<String, String> facts = PretrainedEncoder.describe(out).facts();
        assertEquals("true", facts.get("dense_sizes"));
        assertEquals(String.format("%.4f", sized), facts.get("held_out_objects_sized"));
    }

    @Test
    void aFolderFromElsewhereIsRefusedClearly() throws IOException {
        DataFormatException none = assertThrows(DataFormatException.class, () -> PretrainedEncoder.describe(dir));
        assertTrue(none.getMessage().contains("not a pretrained encoder folder"), none.getMessage());
        Files.writeString(dir.resolve(PretrainedEncoder.CONFIG_FILE), "{\"format\": \"captioner-encoder/0\", \"arch\": \"resnet18\"}");
        DataFormatException old = assertThrows(DataFormatException.class, () -> PretrainedEncoder.describe(dir));
        assertTrue(old.getMessage().contains("saved by another version"), old.getMessage());
    }
}
