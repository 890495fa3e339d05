package dev.captioner.decoder.train;

import dev.captioner.decoder.DecoderConfig;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.sampling.ScheduledSampling;

/**
 * How a decoder is trained; saved with every checkpoint. The schedules are kept as their compact
 * strings so a checkpoint reads back exactly what the run was given.
 *
 * @param decoder            the architecture
 * @param batchSize          captions per step
 * @param epochs             passes over the training captions
 * @param learningRate       Adam's initial rate
 * @param decayFactor        the factor γ the rate is multiplied by at each decay (1 = constant)
 * @param decayEvery         by step: epochs between decays; on plateau: validations without a better CIDEr-D
 *                           before each decay
 * @param clipNorm           global gradient norm limit
 * @param doublyStochastic   λ of the attention regulariser
 * @param scheduledSampling  the teacher-forcing schedule ({@link ScheduledSampling#parse})
 * @param samplingMode       how the model's own word is chosen when it is fed back
 * @param patience           validation evaluations without a better CIDEr-D before stopping (0 = never stop early)
 * @param checkpointEvery    steps between checkpoints (0 = only at epoch ends)
 * @param maxWords           longer captions are cut to this many words
 * @param seed               every random choice derives from it
 * @param decayOnPlateau     decay when validation CIDEr-D stops improving ({@link ReduceOnPlateau}) rather
 *                           than every {@code decayEvery} epochs ({@link StepDecay})
 * @param regularizerScale   what the regulariser's sum is divided by ({@link RegularizerScale}); configurations
 *                           saved before it existed read back as {@link RegularizerScale#IMAGE}
 * @param attentionEntropy   weight of the attention-entropy penalty ({@link CaptionLoss#attentionEntropy}); 0, the
 *                           default and the value of configurations saved before it existed, turns it off
 * @param attentionEntropyWarmup steps over which that weight rises linearly from 0 (0: the full weight from the
 *                           first step), so attention learns where to look before it is pushed to commit
 * @param attentionEntropyWords the words whose attention the penalty applies to, comma-separated (e.g. the nouns
 *                           that name objects); null or empty: every word
 * @param attentionSupervision weight μ of supervised attention ({@link CaptionLoss#attentionSupervision}), on the
 *                           captions that carry {@link AttentionTargets}; 0, the default and the value of
 *                           configurations saved before it existed, turns it off
 * @param validationBeam     K of the beam search that captions the validation images; 1 (and 0, the value of
 *                           configurations saved before it existed) is greedy. Validation CIDEr-D picks the best
 *                           checkpoint, so validating with the search the model will be tested with picks the
 *                           checkpoint that is best under it: greedy favours long captions, a beam ends them sooner
 * @param weightAverage      decay d of an exponential moving average of the weights ({@link WeightAverage}), which
 *                           is then what validation scores, the best checkpoint holds and the test uses; 0, the
 *                           default and the value of configurations saved before it existed, turns it off
 */
public record TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
        int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
        int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau, RegularizerScale regularizerScale,
        float attentionEntropy, int attentionEntropyWarmup, String attentionEntropyWords, float attentionSupervision,
        int validationBeam, float weightAverage) {

    /** A configuration without a weight average (the form saved before it existed). */
    public TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
            int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
            int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau, RegularizerScale regularizerScale,
            float attentionEntropy, int attentionEntropyWarmup, String attentionEntropyWords, float attentionSupervision,
            int validationBeam) {
        this(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic, scheduledSampling,
                samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, regularizerScale, attentionEntropy,
                attentionEntropyWarmup, attentionEntropyWords, attentionSupervision, validationBeam, 0f);
    }

    /** A configuration validated greedily (the form saved before the validation beam existed). */
    public TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
            int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
            int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau, RegularizerScale regularizerScale,
            float attentionEntropy, int attentionEntropyWarmup, String attentionEntropyWords, float attentionSupervision) {
        this(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic, scheduledSampling,
                samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, regularizerScale, attentionEntropy,
                attentionEntropyWarmup, attentionEntropyWords, attentionSupervision, 1);
    }

    /** A configuration without supervised attention (the form saved before it existed). */
    public TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
            int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
            int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau, RegularizerScale regularizerScale,
            float attentionEntropy, int attentionEntropyWarmup, String attentionEntropyWords) {
        this(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic, scheduledSampling,
                samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, regularizerScale, attentionEntropy,
                attentionEntropyWarmup, attentionEntropyWords, 0f);
    }

    /** A configuration whose regulariser is divided by the batch size (the form saved before the scale existed). */
    public TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
            int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
            int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau) {
        this(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic, scheduledSampling,
                samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, RegularizerScale.IMAGE, 0f, 0, null);
    }

    public TrainingConfig {
        if (regularizerScale == null) {
            regularizerScale = RegularizerScale.IMAGE;
        }
        if (validationBeam == 0) {
            validationBeam = 1;
        }
        if (validationBeam < 0) {
            throw new IllegalArgumentException("the validation beam must be at least 1, got " + validationBeam);
        }
        if (!(weightAverage == 0 || weightAverage > 0 && weightAverage < 1)) {
            throw new IllegalArgumentException("the weight-average decay must be 0 (off) or in (0, 1), got " + weightAverage);
        }
        if (batchSize < 1 || epochs < 1 || maxWords < 1 || decayEvery < 1) {
            throw new IllegalArgumentException("batch size, epochs, decay interval and maximum words must be at least 1");
        }
        if (!(learningRate > 0) || !(decayFactor > 0 && decayFactor <= 1) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("learning rate and clip norm must be positive, the decay factor in (0, 1]");
        }
        if (!(attentionEntropy >= 0 && Float.isFinite(attentionEntropy))) {
            throw new IllegalArgumentException("the attention-entropy weight must be at least 0, got " + attentionEntropy);
        }
        if (!(attentionSupervision >= 0 && Float.isFinite(attentionSupervision))) {
            throw new IllegalArgumentException("the attention-supervision weight must be at least 0, got " + attentionSupervision);
        }
        if (attentionEntropyWarmup < 0) {
            throw new IllegalArgumentException("the attention-entropy warm-up must be at least 0 steps, got " + attentionEntropyWarmup);
        }
        ScheduledSampling.parse(scheduledSampling); // fails with its own one-line message
    }

    /** A builder with named settings: the decoder is required, the rest has the defaults of {@code captioner train}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainingConfig}; checks happen in {@link #build()}. */
    public static final class Builder {
        private DecoderConfig decoder;
        private int batchSize = 32;
        private int epochs = 20;
        private float learningRate = 4e-4f;
        private float decayFactor = 0.8f;
        private int decayEvery = 3;
        private float clipNorm = 5f;
        private float doublyStochastic = 1f;
        private String scheduledSampling = "teacher-forcing";
        private SamplingMode samplingMode = SamplingMode.SAMPLE;
        private int patience;
        private int checkpointEvery = 1000;
        private int maxWords = 16;
        private long seed;
        private boolean decayOnPlateau;
        private RegularizerScale regularizerScale = RegularizerScale.IMAGE;
        private float attentionEntropy;
        private int attentionEntropyWarmup;
        private String attentionEntropyWords;
        private float attentionSupervision;
        private int validationBeam = 1;
        private float weightAverage;

        Builder() {}

        /** The architecture (required). */
        public Builder setDecoder(DecoderConfig decoder) {
            this.decoder = decoder;
            return this;
        }

        /** Captions per step, default 32. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Passes over the training captions, default 20. */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Adam's initial rate, default 4e-4. */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** γ and its interval (epochs, or validations on plateau); default 0.8 every 3; γ = 1 keeps the rate. */
        public Builder optDecay(float decayFactor, int decayEvery) {
            this.decayFactor = decayFactor;
            this.decayEvery = decayEvery;
            return this;
        }

        /** Decay when validation CIDEr-D stops improving instead of by epochs; default false. */
        public Builder optDecayOnPlateau(boolean decayOnPlateau) {
            this.decayOnPlateau = decayOnPlateau;
            return this;
        }

        /** The global gradient norm limit, default 5. */
        public Builder optClipNorm(float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** λ of the doubly stochastic attention regulariser (0 turns it off) and what its sum is divided by; default 1, per image. */
        public Builder optDoublyStochastic(float doublyStochastic, RegularizerScale scale) {
            this.doublyStochastic = doublyStochastic;
            this.regularizerScale = scale;
            return this;
        }

        /** Weight of the penalty on each step's attention entropy (0 turns it off); default 0. */
        public Builder optAttentionEntropy(float attentionEntropy) {
            this.attentionEntropy = attentionEntropy;
            return this;
        }

        /** The words the attention-entropy penalty applies to, comma-separated; default null, every word. */
        public Builder optAttentionEntropyWords(String words) {
            this.attentionEntropyWords = words;
            return this;
        }

        /** Weight μ of supervised attention on captions with {@link AttentionTargets} (0 turns it off); default 0. */
        public Builder optAttentionSupervision(float attentionSupervision) {
            this.attentionSupervision = attentionSupervision;
            return this;
        }

        /** Steps over which the attention-entropy weight rises from 0 to its value; default 0, none. */
        public Builder optAttentionEntropyWarmup(int steps) {
            this.attentionEntropyWarmup = steps;
            return this;
        }

        /** The teacher-forcing schedule ({@link ScheduledSampling#parse}) and how the model's own word is chosen; default teacher forcing. */
        public Builder optScheduledSampling(String scheduledSampling, SamplingMode samplingMode) {
            this.scheduledSampling = scheduledSampling;
            this.samplingMode = samplingMode;
            return this;
        }

        /** Validations without a better CIDEr-D before stopping; default 0, never stop early. */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Steps between checkpoints (0: only at epoch ends), default 1000. */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /** Longer captions are cut to this many words, default 16. */
        public Builder optMaxWords(int maxWords) {
            this.maxWords = maxWords;
            return this;
        }

        /** Every random choice derives from it, default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** K of the beam search that captions the validation images, default 1 (greedy). */
        public Builder optValidationBeam(int validationBeam) {
            this.validationBeam = validationBeam;
            return this;
        }

        /** Decay d of the weights' moving average that validation and the best checkpoint use; 0, the default, is off. */
        public Builder optWeightAverage(float decay) {
            this.weightAverage = decay;
            return this;
        }

        public TrainingConfig build() {
            if (decoder == null) {
                throw new IllegalStateException("TrainingConfig.builder(): setDecoder is required");
            }
            return new TrainingConfig(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic,
                    scheduledSampling, samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, regularizerScale,
                    attentionEntropy, attentionEntropyWarmup, attentionEntropyWords, attentionSupervision, validationBeam, weightAverage);
        }
    }

    /** The attention-entropy weight at training step {@code step} (from 1): the warm-up's share of the full weight. */
    public float attentionEntropyAt(long step) {
        if (attentionEntropyWarmup == 0 || step >= attentionEntropyWarmup) {
            return attentionEntropy;
        }
        return attentionEntropy * Math.max(0, step) / attentionEntropyWarmup;
    }

    /** The words of {@link #attentionEntropyWords()}, trimmed; empty for every word. */
    public java.util.List<String> entropyWords() {
        if (attentionEntropyWords == null || attentionEntropyWords.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(attentionEntropyWords.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList();
    }

    /** The parsed teacher-forcing schedule. */
    public ScheduledSampling schedule() {
        return ScheduledSampling.parse(scheduledSampling);
    }

    /** A new learning-rate schedule for a run: step decay, or reduce on plateau of validation CIDEr-D. */
    public LearningRateSchedule learningRateSchedule() {
        if (decayFactor == 1f) {
            return LearningRateSchedule.constant(learningRate);
        }
        if (decayOnPlateau) {
            return ReduceOnPlateau.builder().setInitialRate(learningRate).optFactor(decayFactor).optPatience(decayEvery).build();
        }
        return StepDecay.builder().setInitialRate(learningRate).setGamma(decayFactor).setEvery(decayEvery).build();
    }
}
