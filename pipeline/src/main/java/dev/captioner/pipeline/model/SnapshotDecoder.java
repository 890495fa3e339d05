package dev.captioner.pipeline.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A decoder read back from a training checkpoint's snapshot folder ({@code last/} or {@code best/}): built
 * from the snapshot's own configuration, initialised, and its {@code decoder.params} read in with every
 * parameter's shape checked (DJL's {@code loadParameters} checks none), so a snapshot of another decoder
 * fails with one line naming the file instead of captioning nonsense.
 */
public final class SnapshotDecoder {
    private SnapshotDecoder() {}

    /**
     * Loads the decoder of {@code snapshot}, its parameters in {@code manager}.
     *
     * @param snapshot a folder holding {@code checkpoint.json} and {@code decoder.params} ({@link Checkpoint#bestSnapshot})
     */
    public static CaptionDecoder load(Path snapshot, NDManager manager) throws IOException {
        DecoderConfig config = Checkpoint.readSnapshot(snapshot).config().decoder();
        CaptionDecoder decoder = new CaptionDecoder(config);
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, config.featureSize()), new Shape(1, config.featureSize()),
                new Shape(1, 1));
        Map<String, Shape> expected = DecoderWeights.shapes(decoder);
        Checkpoint.loadParameters(snapshot, decoder, manager);
        DecoderWeights.checkShapes(decoder, expected, snapshot.resolve("decoder.params"));
        return decoder;
    }
}
