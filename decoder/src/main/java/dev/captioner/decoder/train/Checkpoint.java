package dev.captioner.decoder.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.FileTrees;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A training checkpoint: a folder {@code last/} (and {@code best/}, the parameters with the best
 * validation CIDEr-D) holding {@code checkpoint.json} (format, the whole {@link TrainingConfig}, the
 * position in training and the best score), {@code vocab.json}, {@code decoder.params} and
 * {@code adam.ndlist} (Adam's moments and step count). A run that averages its weights ({@link WeightAverage})
 * keeps the average in {@code decoder.params}, what a model made from any snapshot captions with, and the raw
 * weights Adam updates in {@code last/training.params}.
 *
 * <p>What a resume restores: every parameter, Adam's first and second moments and its step count, the
 * epoch, the batch within the epoch, the global step, the best score and its step. The random streams
 * need no saving: each derives from the seed and the step. Not restored: the listener's history (the
 * training log is appended to, not rewritten) and early stopping's count of evaluations since the best.
 *
 * <p>A checkpoint is written into a temporary folder that then replaces {@code last/} by renames, so a
 * crash leaves the old checkpoint or the new one, never a mix.
 */
public final class Checkpoint {
    public static final String FORMAT = "captioner-checkpoint/1";
    /** The folder of a training run that holds its checkpoints: {@code RUN/checkpoints/last}, {@code RUN/checkpoints/best}. */
    public static final String FOLDER = "checkpoints";
    /** The latest checkpoint, what a resume continues. */
    public static final String LAST = "last";
    /** The parameters with the best validation CIDEr-D. */
    public static final String BEST = "best";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoint() {}

    /**
     * Where training stands: {@code epoch} (1-based) and the next {@code batchInEpoch}, the number of
     * steps taken, the best validation CIDEr-D with its step, the validations since that best (early
     * stopping's count), and the learning rate with the validations since the schedule's last improvement
     * (reduce on plateau's count; 0 for step decay).
     */
    public record Progress(int epoch, int batchInEpoch, long step, double bestScore, long bestStep, int sinceBest,
            double learningRate, int sinceRateImprovement) {}

    /** The JSON file's content. */
    record Description(String format, TrainingConfig config, Progress progress) {}

    /** What {@link #read} finds. */
    public record Saved(TrainingConfig config, Vocabulary vocabulary, Progress progress) {}

    /** The raw weights of a run that averages them; decoder.params then holds the average. */
    static final String TRAINING_PARAMS = "training.params";

    static void save(Path dir, TrainingConfig config, Vocabulary vocabulary, CaptionDecoder decoder, Adam adam,
            NDManager manager, Progress progress, WeightAverage average) throws IOException {
        Path tmp = Files.createDirectories(dir).resolve(".last.tmp");
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        if (average == null) {
            write(tmp, config, vocabulary, decoder, progress);
        } else {
            AtomicFile.write(tmp.resolve(TRAINING_PARAMS), out -> decoder.saveParameters(new DataOutputStream(out)));
            average.swap();
            try {
                write(tmp, config, vocabulary, decoder, progress);
            } finally {
                average.swap();
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDList state = adam.state(scope);
            AtomicFile.write(tmp.resolve("adam.ndlist"), state::encode);
        }
        swapInto(dir.resolve(LAST), tmp);
    }

    static void saveBest(Path dir, TrainingConfig config, Vocabulary vocabulary, CaptionDecoder decoder) throws IOException {
        Path tmp = Files.createDirectories(dir).resolve(".best.tmp");
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        write(tmp, config, vocabulary, decoder, null);
        swapInto(dir.resolve(BEST), tmp);
    }

    private static void write(Path folder, TrainingConfig config, Vocabulary vocabulary, CaptionDecoder decoder, Progress progress)
            throws IOException {
        vocabulary.save(folder.resolve("vocab.json"));
        AtomicFile.write(folder.resolve("decoder.params"), out -> decoder.saveParameters(new DataOutputStream(out)));
        AtomicFile.write(folder.resolve("checkpoint.json"), out -> out.write(JSON.writeValueAsBytes(new Description(FORMAT, config, progress))));
    }

    /** Reads {@code last/} of a checkpoint folder (or the previous one where a swap was cut short). */
    public static Saved read(Path dir) throws IOException {
        return readSnapshot(lastOf(dir));
    }

    /**
     * The snapshot a finished run is best packaged from: {@code best/} (the best validation CIDEr-D)
     * where there is one, else {@code last/}; a snapshot folder itself (one holding checkpoint.json) is
     * returned as it is.
     */
    public static Path bestSnapshot(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("checkpoint.json"))) {
            return dir;
        }
        Path best = dir.resolve(BEST);
        return Files.isDirectory(best) ? best : lastOf(dir);
    }

    /** Reads one snapshot folder ({@code last/} or {@code best/}); {@code best/} has no progress. */
    public static Saved readSnapshot(Path last) throws IOException {
        Path file = last.resolve("checkpoint.json");
        Description description;
        try {
            description = JSON.readValue(file.toFile(), Description.class);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, "not a checkpoint of format " + FORMAT + " (" + e.getOriginalMessage() + ")");
        }
        if (!FORMAT.equals(description.format())) {
            throw new DataFormatException(file, "checkpoint format \"" + description.format() + "\" is not " + FORMAT
                    + "; it was written by another version");
        }
        return new Saved(description.config(), Vocabulary.load(last.resolve("vocab.json")), description.progress());
    }

    /**
     * Loads {@code last/} into a new run: the weights, and where the run averages them the average ({@code
     * decoder.params}) into {@code average} and the raw weights ({@code training.params}) into the decoder.
     */
    static void restore(Path dir, CaptionDecoder decoder, NDManager manager, Adam adam, NDManager moments, WeightAverage average)
            throws IOException {
        Path last = lastOf(dir);
        loadParameters(last, decoder, manager);
        if (average != null) {
            average.reset();
            Path raw = last.resolve(TRAINING_PARAMS);
            if (!Files.isRegularFile(raw)) {
                throw new DataFormatException(raw, "is missing: the run averages its weights, so its last checkpoint needs its raw ones too");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(raw))) {
                decoder.loadParameters(manager, new DataInputStream(in));
            } catch (MalformedModelException e) {
                throw new DataFormatException(raw, "does not fit the decoder: " + e.getMessage());
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            adam.restore(NDList.decode(scope, Files.readAllBytes(last.resolve("adam.ndlist"))), moments);
        }
    }

    /** Reads a snapshot's {@code decoder.params} into an initialised decoder of the snapshot's config. */
    public static void loadParameters(Path snapshot, CaptionDecoder decoder, NDManager manager) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshot.resolve("decoder.params")))) {
            decoder.loadParameters(manager, new DataInputStream(in));
        } catch (MalformedModelException e) {
            throw new DataFormatException(snapshot.resolve("decoder.params"), "does not fit the decoder: " + e.getMessage());
        }
    }

    private static Path lastOf(Path dir) throws IOException {
        Path last = dir.resolve(LAST);
        if (Files.isDirectory(last)) {
            return last;
        }
        Path old = dir.resolve(".last.old");
        if (Files.isDirectory(old)) {
            return old;
        }
        throw new DataFormatException(dir, "no checkpoint here (no last/ folder)");
    }

    private static void swapInto(Path target, Path tmp) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        FileTrees.delete(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.delete(old);
    }
}
