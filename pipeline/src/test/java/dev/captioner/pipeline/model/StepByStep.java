package dev.captioner.pipeline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.EncoderSpec;
import dev.captioner.encoder.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Greedy decoding written out step by step, as the reference for the log-probability a package reports. */
final class StepByStep {
    private StepByStep() {}

    /** The sum over greedy steps of log softmax at the chosen word, {@code <end>} included. */
    static double greedyLogProb(CaptionDecoder decoder, Path image, int maxLength) throws IOException {
        try (FeatureExtractor extractor = FeatureExtractor.load(EncoderSpec.parse(TinyModels.ENCODER));
                NDManager manager = NDManager.newBaseManager()) {
            EncodedImages features = extractor.extract(List.of(image), manager).features();
            ParameterStore ps = new ParameterStore(manager, false);
            CaptionDecoder.State state = decoder.start(ps, features.grid(), features.pooled(), false);
            long previous = Vocabulary.START_ID;
            double sum = 0;
            for (int t = 0; t < maxLength; t++) {
                CaptionDecoder.Step step = decoder.step(ps, state, manager.create(new long[] {previous}), false);
                NDArray logProbs = step.logits().logSoftmax(1); // (1, V)
                long chosen = logProbs.argMax(1).getLong(0);
                sum += logProbs.getFloat(0, chosen);
                if (chosen == Vocabulary.END_ID) {
                    break;
                }
                previous = chosen;
                state = step.state();
            }
            return sum;
        }
    }
}
