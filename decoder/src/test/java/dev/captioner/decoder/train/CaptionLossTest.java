package dev.captioner.decoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CaptionLossTest {
    /**
     * Two images, T = 3 steps, L = 2 locations. Image 0 has two words (mask 1 1 0), image 1 three. The sum
     * S = sum_b sum_l (1 - sum_t alpha)^2 is worked out by hand, then divided as each scale says.
     */
    @Test
    void theRegulariserIsTheSameSumDividedByImagesWordsOrLocations() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray alphas = manager.create(new float[] {
                0.5f, 0.5f, 1f, 0f, 0.3f, 0.7f, // image 0: the third step is padding
                1f, 0f, 1f, 0f, 1f, 0f}, new Shape(2, 3, 2)); // image 1 always looks at location 0
            NDArray mask = manager.create(new float[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
            // image 0: location sums 1.5 and 0.5 -> 0.25 + 0.25; image 1: 3 and 0 -> 4 + 1. S = 5.5
            double sum = 5.5;
            assertEquals(2 * sum / 2, CaptionLoss.doublyStochastic(alphas, mask, 2f, RegularizerScale.IMAGE).getFloat(), 1e-5);
            assertEquals(2 * sum / 5, CaptionLoss.doublyStochastic(alphas, mask, 2f, RegularizerScale.WORD).getFloat(), 1e-5);
            assertEquals(2 * sum / 4, CaptionLoss.doublyStochastic(alphas, mask, 2f, RegularizerScale.LOCATION).getFloat(), 1e-5);
            assertEquals(CaptionLoss.doublyStochastic(alphas, mask, 2f, RegularizerScale.IMAGE).getFloat(),
                    CaptionLoss.doublyStochastic(alphas, mask, 2f).getFloat(), 0f, "the default is the first form, per image");
        }
    }

    @Test
    void scalesParseTheirOptionSpellingAndRefuseOthersInOneLine() {
        assertEquals(RegularizerScale.WORD, RegularizerScale.parse("word"));
        assertEquals(RegularizerScale.LOCATION, RegularizerScale.parse(" Location "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegularizerScale.parse("token"));
        assertEquals("regulariser scale 'token': expected image, word or location", e.getMessage());
    }

    /** The same alphas: the entropy of each unmasked step, by hand, averaged over the five words and weighted. */
    @Test
    void theEntropyPenaltyIsTheMeanEntropyOfTheWordsAttention() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray alphas = manager.create(new float[] {
                0.5f, 0.5f, 1f, 0f, 0.3f, 0.7f,
                1f, 0f, 1f, 0f, 1f, 0f}, new Shape(2, 3, 2));
            NDArray mask = manager.create(new float[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
            double uniform = Math.log(2); // (0.5, 0.5); one-hot steps add nothing; (0.3, 0.7) is padding
            assertEquals(0.5 * uniform / 5, CaptionLoss.attentionEntropy(alphas, mask, 0.5f).getFloat(), 1e-5);
            assertEquals(0, CaptionLoss.attentionEntropy(alphas.get(":, 1:, :"), mask.get(":, 1:"), 3f).getFloat(), 1e-5,
                    "attention on one location has no entropy");
        }
    }

    /**
     * Supervised attention: -log of the attention mass inside the named object's cells, averaged over the steps that
     * have cells (Liu et al. 2017's attention correctness as a loss); steps without cells add nothing.
     */
    @Test
    void supervisionIsTheMeanNegativeLogOfTheMassOnTheNamedObject() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray alphas = manager.create(new float[] {
                0.5f, 0.25f, 0.25f, 0f, 0.1f, 0.2f, 0.3f, 0.4f, // image 0: step 0 names an object in cells 0 and 1
                0f, 0f, 0f, 1f, 0.25f, 0.25f, 0.25f, 0.25f}, new Shape(2, 2, 4)); // image 1: step 0 in cell 3, step 1 in 0..3
            NDArray targets = manager.create(new float[] {
                1, 1, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 2, 4));
            double expected = (-Math.log(0.75) - Math.log(1.0) - Math.log(1.0)) / 3;
            assertEquals(2 * expected, CaptionLoss.attentionSupervision(alphas, targets, 2f).getFloat(), 1e-5);
            NDArray none = manager.zeros(new Shape(2, 2, 4));
            assertEquals(0, CaptionLoss.attentionSupervision(alphas, none, 1f).getFloat(), 0f, "no supervised step, no loss");
        }
    }

    @Test
    void theEntropyWeightRisesLinearlyOverItsWarmup() {
        dev.captioner.decoder.DecoderConfig decoder = dev.captioner.decoder.DecoderConfig.builder()
                .setCell(dev.captioner.decoder.cell.CellType.LSTM).setVocabularySize(10).setFeatureSize(4).build();
        TrainingConfig ramped = TrainingConfig.builder().setDecoder(decoder).optAttentionEntropy(0.5f).optAttentionEntropyWarmup(100).build();
        assertEquals(0.005f, ramped.attentionEntropyAt(1), 1e-7);
        assertEquals(0.25f, ramped.attentionEntropyAt(50), 1e-7);
        assertEquals(0.5f, ramped.attentionEntropyAt(100), 0f);
        assertEquals(0.5f, ramped.attentionEntropyAt(5000), 0f);
        assertEquals(0.5f, TrainingConfig.builder().setDecoder(decoder).optAttentionEntropy(0.5f).build().attentionEntropyAt(1), 0f,
                "no warm-up: the full weight from the first step");
    }

    @Test
    void thePenaltyCanBeKeptToNamedWordsAndAnUnknownWordIsOneLine() {
        dev.captioner.decoder.DecoderConfig decoder = dev.captioner.decoder.DecoderConfig.builder()
                .setCell(dev.captioner.decoder.cell.CellType.LSTM).setVocabularySize(8).setFeatureSize(4).build();
        TrainingConfig nouns = TrainingConfig.builder().setDecoder(decoder).optAttentionEntropy(0.5f)
                .optAttentionEntropyWords(" circle, square ,,").build();
        assertEquals(java.util.List.of("circle", "square"), nouns.entropyWords());
        assertEquals(java.util.List.of(), TrainingConfig.builder().setDecoder(decoder).build().entropyWords(), "every word");
        dev.captioner.data.text.Vocabulary vocabulary = dev.captioner.data.text.Vocabulary.build(
                java.util.List.of(java.util.List.of("a", "red", "circle")), 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingStep(
                    new dev.captioner.decoder.CaptionDecoder(decoder), nouns, Adam.standard(), manager, vocabulary));
            assertEquals("attention-entropy word 'square' is not in the vocabulary", e.getMessage());
        }
    }
}
