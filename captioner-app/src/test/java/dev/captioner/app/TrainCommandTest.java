package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.train.Checkpoint;
import dev.captioner.decoder.train.TrainingConfig;
import dev.captioner.pipeline.model.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code captioner train} end to end on 24 synth-scenes images, a random-weight ResNet-18 at 32 pixels
 * (a 1x1 grid of 512 features) and a decoder of E = H = A = 16: 20 training images with 5 captions each
 * at 32 captions a step make 4 steps an epoch.
 */
class TrainCommandTest {
    private static final String HEADER = "step,epoch,kind,loss,teacher_forcing,learning_rate,Bleu_1,Bleu_2,Bleu_3,Bleu_4,ROUGE_L,CIDEr";

    @TempDir
    static Path data;

    /** An uninterrupted two-epoch run, made once. */
    static Path full;
    static CliRun fullRun;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeScenesAndTrainOnce() {
        assertEquals(0, CliRun.of("synth", "--out", data.toString(), "--images", "24", "--size", "64", "--seed", "4").exit());
        full = data.resolve("full");
        fullRun = CliRun.of(tiny("--data", data.toString(), "--out", full.toString(), "--epochs", "2",
                "--scheduled-sampling", "linear:c=0.05", "--checkpoint-every", "3", "--device", "cpu"));
    }

    /** --device is where this invocation runs, not part of the run: it is left out of the saved configuration. */
    @Test
    void deviceIsAChoiceOfTheInvocationNotOfTheRun() throws IOException {
        assertEquals(0, fullRun.exit(), fullRun.toString());
        String saved = Files.readString(full.resolve(TrainCommand.RUN_CONFIG));
        assertFalse(saved.contains("device"), saved);
    }

    /** The tiny model on the shared feature cache, 32 captions a step, plus {@code more}. */
    private static String[] tiny(String... more) {
        return train("--encoder", "resnet18@32", "--batch-size", "32", more);
    }

    /** The tiny model on the shared feature cache, with {@code encoder} and {@code batch}, plus {@code more}. */
    private static String[] train(String encoderFlag, String encoder, String batchFlag, String batch, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--cache", data.resolve("cache").toString(), "--embedding-size", "16",
                "--hidden-size", "16", "--attention-size", "16", "--min-word-count", "1", encoderFlag, encoder, batchFlag, batch));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<String[]> rows(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("training-log.csv"));
        assertEquals(HEADER, lines.get(0));
        return lines.subList(1, lines.size()).stream().map(line -> line.split(",", -1)).collect(Collectors.toList());
    }

    private static List<Long> steps(List<String[]> rows, String kind) {
        return rows.stream().filter(r -> r[2].equals(kind)).map(r -> Long.parseLong(r[0])).collect(Collectors.toList());
    }

    private static void assertOneLineError(CliRun run, int exit, String expected) {
        run.assertOneLineError(exit, expected);
    }

    @Test
    void trainsAndWritesCheckpointsVocabularyAndTheLog() throws IOException {
        assertEquals(0, fullRun.exit(), fullRun.toString());
        assertTrue(fullRun.out().contains("effective configuration"), fullRun.out());
        assertTrue(fullRun.out().contains("\"scheduled-sampling\" : \"linear:k=1,c=0.05,min=0\""), fullRun.out());
        assertTrue(fullRun.out().contains("model package: " + full.resolve("model") + " (float32 weights)"), fullRun.out());
        try (ModelPackage model = ModelPackage.load(full.resolve("model"))) {
            assertEquals(16, model.config().decoder().hiddenSize());
            assertTrue(model.config().provenance().toString().contains("captioner train"), model.config().provenance().toString());
        }
        for (String file : List.of("checkpoints/last/checkpoint.json", "checkpoints/last/decoder.params", "checkpoints/best/decoder.params",
                "vocab.json", "train-config.json")) {
            assertTrue(Files.isRegularFile(full.resolve(file)), file);
        }
        Checkpoint.Saved saved = Checkpoint.read(full.resolve("checkpoints"));
        assertEquals(8, saved.progress().step());
        assertEquals(16, saved.config().decoder().hiddenSize());
        assertEquals(512, saved.config().decoder().featureSize());

        List<String[]> rows = rows(full);
        assertEquals(LongStream.rangeClosed(1, 8).boxed().collect(Collectors.toList()), steps(rows, "train"));
        assertEquals(List.of(4L, 8L), steps(rows, "val"));
        String[] first = rows.get(0);
        assertTrue(Double.isFinite(Double.parseDouble(first[3])), "loss");
        assertEquals("1", first[4], "ε at step 0 of linear k=1");
        assertEquals("0.95", rows.get(1)[4], "ε = 1 - 0.05 at step 1");
        assertEquals("0.0004", first[5]);
        assertEquals("", first[11], "no CIDEr-D on a training row");
        String[] validation = rows.get(4);
        assertEquals("", validation[3], "no loss on a validation row");
        assertTrue(Double.parseDouble(validation[11]) >= 0, "CIDEr-D");
    }

    @Test
    void aConfigFileSetsOptionsAndTheCommandLineOverridesIt() throws IOException {
        Path config = dir.resolve("train.json");
        Files.writeString(config, "{\n  \"data\": \"" + data.toAbsolutePath() + "\",\n  \"cell\": \"gru\",\n  \"attention\": false,\n"
                + "  \"epochs\": 1,\n  \"batch-size\": 64,\n  \"lr\": 1e-3,\n  \"scheduled-sampling\": \"constant:eps=0.5\",\n"
                + "  \"validation-beam\": 2,\n  \"weight-average\": 0.9\n}\n");
        Path out = dir.resolve("run");
        CliRun run = CliRun.of(train("--encoder", "resnet18@32", "--config", config.toString(), "--out", out.toString(), "--cell", "lstm"));
        // "batch-size": 64 in the file, no --batch-size on the command line
        assertEquals(0, run.exit(), run.toString());
        TrainingConfig saved = Checkpoint.read(out.resolve("checkpoints")).config();
        assertEquals(CellType.LSTM, saved.decoder().cell(), "the command line wins");
        assertFalse(saved.decoder().attention(), "from the file");
        assertEquals(64, saved.batchSize());
        assertEquals(1e-3f, saved.learningRate());
        assertEquals(1, saved.epochs());
        assertEquals(2, saved.validationBeam(), "from the file, saved with the checkpoint");
        assertEquals(0.9f, saved.weightAverage(), "from the file, saved with the checkpoint");
        assertTrue(Files.isRegularFile(out.resolve("checkpoints").resolve("last").resolve("training.params")), "the raw weights beside the average");
        List<String[]> rows = rows(out);
        assertEquals(List.of(1L, 2L), steps(rows, "train"), "100 captions at 64 a step");
        assertEquals("0.5", rows.get(0)[4]);
        assertTrue(run.out().contains("\"cell\" : \"lstm\""), run.out());
        assertTrue(run.out().contains("\"attention\" : false"), run.out());
    }

    @Test
    void anUnknownConfigKeyIsOneLineNamingTheKeyAndItsPlace() throws IOException {
        Path config = dir.resolve("typo.json");
        Files.writeString(config, "{\n  \"epochs\": 1,\n  \"hiden-size\": 16\n}\n");
        CliRun run = CliRun.of(tiny("--data", data.toString(), "--config", config.toString(), "--out", dir.resolve("run").toString()));
        assertOneLineError(run, ExitCode.DATA_ERROR, config + ":3:3: unknown key \"hiden-size\"");

        Files.writeString(config, "{\"dropout\": 1.5}");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--config", config.toString(), "--out", dir.resolve("run").toString())),
                ExitCode.DATA_ERROR, config + ":1:2: \"dropout\" must be in [0, 1), got 1.5");
        Files.writeString(config, "{\"epochs\": \"two\"}");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--config", config.toString(), "--out", dir.resolve("run").toString())),
                ExitCode.DATA_ERROR, "\"epochs\" must be a whole number, found a string");
        Files.writeString(config, "{\"epochs\": 2,");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--config", config.toString(), "--out", dir.resolve("run").toString())),
                ExitCode.DATA_ERROR, "malformed JSON");
    }

    @Test
    void badFlagsAndMissingFilesAreOneLineErrors() {
        String out = dir.resolve("run").toString();
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--cell", "foo")), ExitCode.USAGE,
                "Invalid value for option '--cell'");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--dropout", "1.5")), ExitCode.USAGE,
                "--dropout must be in [0, 1), got 1.5");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--scheduled-sampling", "linear:q=1")), ExitCode.USAGE,
                "'linear' has no parameter 'q'");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--validation-beam", "0")), ExitCode.USAGE,
                "--validation-beam must be at least 1, got 0");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--weight-average", "1")), ExitCode.USAGE,
                "--weight-average must be 0 (off) or in (0, 1), got 1.0");
        assertOneLineError(CliRun.of(tiny("--out", out)), ExitCode.USAGE, "give the data as one of");
        assertOneLineError(CliRun.of(tiny("--karpathy", dir.resolve("missing.json").toString(), "--out", out)), ExitCode.DATA_ERROR,
                "missing.json: no such file");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", out, "--config", dir.resolve("none.json").toString())),
                ExitCode.DATA_ERROR, "none.json: no such file");
    }

    /** Supervised attention reads the boxes beside the split file (synth-scenes' instances.json), and says so where there are none. */
    @Test
    void supervisedAttentionReadsTheBoxesBesideTheCaptionsAndNamesTheirAbsence() throws IOException {
        CliRun run = CliRun.of(tiny("--data", data.toString(), "--out", dir.resolve("supervised").toString(), "--attention-supervision", "1",
                "--max-steps", "2"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().matches("(?s).*supervised attention \\(weight 1\\.0\\): [1-9][0-9,]* object words in [1-9][0-9,]* of 100 captions"
                + " look at their objects' boxes.*"), run.out());
        Path split = Files.copy(data.resolve("dataset_synth.json"), dir.resolve("dataset_synth.json")); // no instances.json beside it
        assertOneLineError(CliRun.of(tiny("--karpathy", split.toString(), "--images", data.toString(), "--out",
                dir.resolve("no-boxes").toString(), "--attention-supervision", "1")), ExitCode.DATA_ERROR,
                "supervised attention needs the objects' boxes");
        assertOneLineError(CliRun.of(tiny("--data", data.toString(), "--out", dir.resolve("negative").toString(),
                "--attention-supervision", "-1")), ExitCode.USAGE, "--attention-supervision must be at least 0, got -1.0");
    }

    @Test
    void aCacheOfAnotherEncoderIsRefused() {
        CliRun run = CliRun.of(train("--encoder", "vgg11@32", "--batch-size", "32", "--data", data.toString(), "--out", dir.resolve("run").toString()));
        assertOneLineError(run, ExitCode.DATA_ERROR, "\"vgg11@32 random-init seed 0\"; give another cache folder");
    }

    @Test
    void resumeContinuesTheStepsOfTheRunAsIfItHadNotStopped() throws IOException {
        Path out = dir.resolve("run");
        CliRun first = CliRun.of(tiny("--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--scheduled-sampling", "linear:c=0.05", "--checkpoint-every", "3", "--max-steps", "2"));
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("stopped after --max-steps 2 at step 2"), first.out());
        assertEquals(List.of(1L, 2L), steps(rows(out), "train"));
        // Rows written after the checkpoint by a run that then died are dropped on resume.
        Files.writeString(out.resolve("training-log.csv"), "3,1,train,9.9,1,0.0004,,,,,,\n4,1,val,,,0.0004,1,1,1,1,1,1\n",
                StandardOpenOption.APPEND);

        CliRun again = CliRun.of("train", "--out", out.toString(), "--resume", "--epochs", "3");
        assertOneLineError(again, ExitCode.USAGE, "--epochs is 3 here but 2 in the run being resumed");

        CliRun resumed = CliRun.of("train", "--out", out.toString(), "--resume");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.out().contains("resuming at step 2"), resumed.out());
        List<String[]> rows = rows(out);
        assertEquals(LongStream.rangeClosed(1, 8).boxed().collect(Collectors.toList()), steps(rows, "train"));
        assertEquals(List.of(4L, 8L), steps(rows, "val"));
        List<String[]> uninterrupted = rows(full);
        assertEquals(uninterrupted.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            for (int column : new int[] {3, 11}) { // the loss and validation CIDEr-D of the run that did not stop
                String a = uninterrupted.get(i)[column];
                String b = rows.get(i)[column];
                assertEquals(a.isEmpty(), b.isEmpty());
                if (!a.isEmpty()) {
                    assertEquals(Double.parseDouble(a), Double.parseDouble(b), 1e-4 * Math.abs(Double.parseDouble(a)) + 1e-6, "row " + (i + 1));
                }
            }
        }
        try (Stream<Path> files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("best", "last"), files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
    }
}
