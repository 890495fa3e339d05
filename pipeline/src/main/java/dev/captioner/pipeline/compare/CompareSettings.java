package dev.captioner.pipeline.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.decoder.AttentionPlacement;
import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.InitialState;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.sampling.ScheduledSampling;
import dev.captioner.decoder.train.RegularizerScale;
import dev.captioner.decoder.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that makes the runs of a comparison comparable and repeatable, saved as {@value #FILE} in its
 * output folder: the data, the features, the decoder sizes and training options every model shares, the
 * number of steps every run takes, how runs are validated and which checkpoint is evaluated, and the test
 * search. The models and seeds are not part of it: a rerun may add either, and skips the runs already done.
 *
 * @param data              the Karpathy split file, absolute
 * @param encoder           the identity of the encoder the cached features come from (names its weights by hash)
 * @param sizes             the images of each split used
 * @param minWordCount      words seen fewer times in the training captions become {@code <unk>}
 * @param maxWords          longer training captions are cut
 * @param embeddingSize     E
 * @param hiddenSize        H
 * @param attentionSize     A
 * @param dropout           before the output layer
 * @param doublyStochastic  λ of the attention regulariser
 * @param batchSize         captions per step
 * @param learningRate      Adam's initial rate
 * @param lrDecay           factor of each step decay
 * @param lrDecayEvery      epochs between decays
 * @param clipNorm          global gradient norm limit
 * @param scheduledSampling the spec of the scheduled-sampling model
 * @param samplingMode      how a fed-back word is chosen
 * @param steps             training steps of every run
 * @param validations       validations per run, evenly spaced, the last after the final step (epoch ends add theirs)
 * @param checkpoint        {@code best} or {@code final}: the parameters evaluated
 * @param beam              K of the test search; 1 is greedy
 * @param maxLength         the most words a test caption gets
 * @param regularizerScale  what the regulariser's sum is divided by (settings saved before it existed: image)
 * @param initialState      where the attention decoders' first state comes from (saved before: pooled)
 * @param placement         where the attention decoders attend (saved before: before-cell)
 * @param deepOutput        the attention decoders' deep output layer, Xu et al. eq. 7 (saved before: off)
 * @param attentionEntropy  weight of the attention-entropy penalty (saved before: 0, off)
 * @param attentionEntropyWarmup steps over which that weight rises from 0 (saved before: 0)
 * @param attentionEntropyWords the words the penalty applies to, comma-separated (saved before: null, every word)
 * @param attentionSupervision weight of supervised attention on the training captions' object words (saved before: 0, off)
 * @param validationBeam    K of the search that captions the validation images, 1 greedy (saved before: 0, read as 1)
 * @param weightAverage     decay of the weights' moving average that validation, the best checkpoint and the test use
 *                          (0, also saved before: off)
 */
public record CompareSettings(String data, String encoder, SplitSizes sizes, int minWordCount, int maxWords, int embeddingSize,
        int hiddenSize, int attentionSize, float dropout, float doublyStochastic, int batchSize, float learningRate, float lrDecay,
        int lrDecayEvery, float clipNorm, String scheduledSampling, SamplingMode samplingMode, long steps, int validations,
        String checkpoint, int beam, int maxLength, RegularizerScale regularizerScale, InitialState initialState,
        AttentionPlacement placement, boolean deepOutput, float attentionEntropy,
        int attentionEntropyWarmup, String attentionEntropyWords, float attentionSupervision, int validationBeam,
        float weightAverage) {
    /** The file in the comparison's output folder. */
    public static final String FILE = "compare.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CompareSettings {
        if (regularizerScale == null) {
            regularizerScale = RegularizerScale.IMAGE;
        }
        if (initialState == null) {
            initialState = InitialState.POOLED;
        }
        if (placement == null) {
            placement = AttentionPlacement.BEFORE_CELL;
        }
        if (validationBeam == 0) {
            validationBeam = 1;
        }
    }

    /** A builder with compare's defaults (those of {@code captioner compare}); the data and the encoder are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same settings with another number of steps (and the scheduled-sampling spec sized to it). */
    public CompareSettings withSteps(long steps, String scheduledSampling) {
        return new CompareSettings(data, encoder, sizes, minWordCount, maxWords, embeddingSize, hiddenSize, attentionSize, dropout,
                doublyStochastic, batchSize, learningRate, lrDecay, lrDecayEvery, clipNorm, scheduledSampling, samplingMode, steps,
                validations, checkpoint, beam, maxLength, regularizerScale, initialState, placement, deepOutput, attentionEntropy,
                attentionEntropyWarmup, attentionEntropyWords, attentionSupervision, validationBeam, weightAverage);
    }

    /**
     * How one model is trained with one seed: epochs enough for {@code steps} steps of {@code stepsPerEpoch}
     * (the run stops at {@code steps}); no early stopping; checkpoints at epoch ends only.
     */
    public TrainingConfig training(CompareModel model, long seed, int vocabularySize, int featureSize, long stepsPerEpoch, long steps) {
        DecoderConfig decoder = DecoderConfig.builder().setCell(model.cell()).optAttention(model.attention())
                .setVocabularySize(vocabularySize).setFeatureSize(featureSize).optEmbeddingSize(embeddingSize).optHiddenSize(hiddenSize)
                .optAttentionSize(attentionSize).optDropout(dropout)
                .optInitialState(initialState).optPlacement(placement).optDeepOutput(deepOutput && model.attention()).build();
        int epochs = (int) Math.max(1, (steps + stepsPerEpoch - 1) / stepsPerEpoch);
        return TrainingConfig.builder().setDecoder(decoder).optBatchSize(batchSize).optEpochs(epochs).optLearningRate(learningRate)
                .optDecay(lrDecay, lrDecayEvery).optClipNorm(clipNorm).optDoublyStochastic(doublyStochastic, regularizerScale)
                .optScheduledSampling(model.schedule(scheduledSampling), samplingMode).optPatience(0).optCheckpointEvery(0)
                .optMaxWords(maxWords).optSeed(seed).optAttentionEntropy(attentionEntropy)
                .optAttentionEntropyWarmup(attentionEntropyWarmup).optAttentionEntropyWords(attentionEntropyWords)
                .optAttentionSupervision(attentionSupervision).optValidationBeam(validationBeam).optWeightAverage(weightAverage).build();
    }

    /** The steps after which a run validates (besides epoch ends): evenly spaced, the last being {@link #steps()}. */
    public List<Long> validationSteps() {
        List<Long> at = new ArrayList<>();
        long every = Math.max(1, (steps + validations - 1) / validations);
        for (long s = every; s < steps; s += every) {
            at.add(s);
        }
        at.add(steps);
        return at;
    }

    public void write(Path dir) throws IOException {
        AtomicFile.write(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /** The settings saved in {@code dir}, or null where there are none. */
    public static CompareSettings read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), CompareSettings.class);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, "not the settings of a comparison (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * Builds {@link CompareSettings} by name. The defaults are compare's: E = H = A = 256, batch 64, Adam 1e-3
     * decayed by 0.8 every 2 epochs, dropout 0.3, all words, captions up to 20 words, no doubly stochastic term,
     * a zero first state, supervised attention (μ = 1) and the deep output layer for the attention decoders,
     * 8 validations with the test's search, the best checkpoint, beam 3. A scheduled-sampling spec of {@code auto}
     * becomes the inverse-sigmoid schedule fitted to the steps ({@link StepBudget#inverseSigmoidFor}).
     */
    public static final class Builder {
        private String data;
        private String encoder;
        private SplitSizes sizes = new SplitSizes(null, null, null);
        private int minWordCount = 1;
        private int maxWords = 20;
        private int embeddingSize = 256;
        private int hiddenSize = 256;
        private int attentionSize = 256;
        private float dropout = 0.3f;
        private float doublyStochastic;
        private RegularizerScale regularizerScale = RegularizerScale.IMAGE;
        private float attentionEntropy;
        private float attentionSupervision = 1f;
        private int attentionEntropyWarmup;
        private String attentionEntropyWords;
        private InitialState initialState = InitialState.ZERO;
        private AttentionPlacement placement = AttentionPlacement.BEFORE_CELL;
        private boolean deepOutput = true;
        private int batchSize = 64;
        private float learningRate = 1e-3f;
        private float lrDecay = 0.8f;
        private int lrDecayEvery = 2;
        private float clipNorm = 5f;
        private String scheduledSampling = "auto";
        private SamplingMode samplingMode = SamplingMode.SAMPLE;
        private long steps = 1;
        private int validations = 8;
        private String checkpoint = "best";
        private int beam = 3;
        private int maxLength = 20;
        private int validationBeam; // 0: the test beam
        private float weightAverage;

        Builder() {}

        /** The Karpathy split file (made absolute) and the identity of the encoder the cached features come from (required). */
        public Builder setData(Path splitFile, String encoder) {
            this.data = splitFile.toAbsolutePath().normalize().toString();
            this.encoder = encoder;
            return this;
        }

        public Builder optSizes(SplitSizes sizes) {
            this.sizes = sizes;
            return this;
        }

        /** Words seen fewer times become {@code <unk>}; longer training captions are cut. */
        public Builder optVocabulary(int minWordCount, int maxWords) {
            this.minWordCount = minWordCount;
            this.maxWords = maxWords;
            return this;
        }

        /** E, H and A of every decoder. */
        public Builder optDecoderSizes(int embeddingSize, int hiddenSize, int attentionSize) {
            this.embeddingSize = embeddingSize;
            this.hiddenSize = hiddenSize;
            this.attentionSize = attentionSize;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** λ of the doubly stochastic regulariser and what its sum is divided by. */
        public Builder optDoublyStochastic(float lambda, RegularizerScale scale) {
            this.doublyStochastic = lambda;
            this.regularizerScale = scale;
            return this;
        }

        /** The words the attention-entropy penalty applies to, comma-separated; null for every word. */
        public Builder optAttentionEntropyWords(String words) {
            this.attentionEntropyWords = words;
            return this;
        }

        /** Weight of supervised attention on the object words of the training captions (0: off). */
        public Builder optAttentionSupervision(float attentionSupervision) {
            this.attentionSupervision = attentionSupervision;
            return this;
        }

        /** The attention-entropy weight, and the steps over which it rises from 0 (0: none). */
        public Builder optAttentionEntropy(float attentionEntropy, int warmupSteps) {
            this.attentionEntropy = attentionEntropy;
            this.attentionEntropyWarmup = warmupSteps;
            return this;
        }

        /** The attention decoders' first state, where they attend, and whether they have the deep output layer. */
        public Builder optAttentionDecoder(InitialState initialState, AttentionPlacement placement, boolean deepOutput) {
            this.initialState = initialState;
            this.placement = placement;
            this.deepOutput = deepOutput;
            return this;
        }

        /** Captions per step, Adam's rate, its decay factor and the epochs between decays, the gradient norm limit. */
        public Builder optOptimizer(int batchSize, float learningRate, float lrDecay, int lrDecayEvery, float clipNorm) {
            this.batchSize = batchSize;
            this.learningRate = learningRate;
            this.lrDecay = lrDecay;
            this.lrDecayEvery = lrDecayEvery;
            this.clipNorm = clipNorm;
            return this;
        }

        /** The schedule of the scheduled-sampling model ({@code auto}, or a spec) and how its fed-back words are chosen. */
        public Builder optScheduledSampling(String spec, SamplingMode mode) {
            this.scheduledSampling = spec;
            this.samplingMode = mode;
            return this;
        }

        /** Training steps of every run. */
        public Builder optSteps(long steps) {
            this.steps = steps;
            return this;
        }

        /** Validations per run, and which checkpoint is evaluated: {@code best} or {@code final}. */
        public Builder optValidation(int validations, String checkpoint) {
            this.validations = validations;
            this.checkpoint = checkpoint;
            return this;
        }

        /** K of the search that captions the validation images, 1 greedy (default: the test's beam, {@link #optSearch}). */
        public Builder optValidationBeam(int validationBeam) {
            this.validationBeam = validationBeam;
            return this;
        }

        /** Decay of the weights' moving average ({@code WeightAverage}); 0, the default, is off. */
        public Builder optWeightAverage(float decay) {
            this.weightAverage = decay;
            return this;
        }

        /** K of the test search (1 is greedy) and the most words a test caption gets. */
        public Builder optSearch(int beam, int maxLength) {
            this.beam = beam;
            this.maxLength = maxLength;
            return this;
        }

        /** The steps the builder holds now. */
        public long steps() {
            return steps;
        }

        public CompareSettings build() {
            if (data == null || encoder == null) {
                throw new IllegalStateException("CompareSettings.builder(): setData is required");
            }
            String schedule = scheduledSampling.equals("auto") ? StepBudget.inverseSigmoidFor(steps)
                    : ScheduledSampling.parse(scheduledSampling).toString();
            return new CompareSettings(data, encoder, sizes, minWordCount, maxWords, embeddingSize, hiddenSize, attentionSize, dropout,
                    doublyStochastic, batchSize, learningRate, lrDecay, lrDecayEvery, clipNorm, schedule, samplingMode, steps, validations,
                    checkpoint, beam, maxLength, regularizerScale, initialState, placement, deepOutput, attentionEntropy,
                attentionEntropyWarmup, attentionEntropyWords, attentionSupervision, validationBeam == 0 ? beam : validationBeam,
                weightAverage);
        }
    }
}
