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
 */
public record TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
        int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
        int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau, RegularizerScale regularizerScale) {

    /** A configuration whose regulariser is divided by the batch size (the form saved before the scale existed). */
    public TrainingConfig(DecoderConfig decoder, int batchSize, int epochs, float learningRate, float decayFactor,
            int decayEvery, float clipNorm, float doublyStochastic, String scheduledSampling, SamplingMode samplingMode,
            int patience, int checkpointEvery, int maxWords, long seed, boolean decayOnPlateau) {
        this(decoder, batchSize, epochs, learningRate, decayFactor, decayEvery, clipNorm, doublyStochastic, scheduledSampling,
                samplingMode, patience, checkpointEvery, maxWords, seed, decayOnPlateau, RegularizerScale.IMAGE);
    }

    public TrainingConfig {
        if (regularizerScale == null) {
            regularizerScale = RegularizerScale.IMAGE;
        }
        if (batchSize < 1 || epochs < 1 || maxWords < 1 || decayEvery < 1) {
            throw new IllegalArgumentException("batch size, epochs, decay interval and maximum words must be at least 1");
        }
        if (!(learningRate > 0) || !(decayFactor > 0 && decayFactor <= 1) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("learning rate and clip norm must be positive, the decay factor in (0, 1]");
        }
        ScheduledSampling.parse(scheduledSampling); // fails with its own one-line message
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
