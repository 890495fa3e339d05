package dev.captioner.app;

import dev.captioner.decoder.AttentionPlacement;
import dev.captioner.decoder.InitialState;
import dev.captioner.decoder.sampling.SamplingMode;
import dev.captioner.decoder.train.RegularizerScale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The vocabulary, decoder-size and optimisation options that {@code train} and {@code compare} share, as
 * a Picocli mixin: the same flags, meanings and checks in both. The defaults here are {@code train}'s;
 * {@code compare} gives its own through its default provider.
 */
final class TrainingOptions {
    @Option(names = "--min-word-count", defaultValue = "5", paramLabel = "N",
            description = "Words seen fewer times in the training captions become <unk> (default: ${DEFAULT-VALUE}).")
    int minWordCount;

    @Option(names = "--max-words", defaultValue = "16", paramLabel = "N", description = "Longer captions are cut to N words (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--embedding-size", defaultValue = "512", paramLabel = "E", description = "Word embedding size (default: ${DEFAULT-VALUE}).")
    int embeddingSize;

    @Option(names = "--hidden-size", defaultValue = "512", paramLabel = "H", description = "Recurrent state size (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--attention-size", defaultValue = "512", paramLabel = "A", description = "Attention layer size (default: ${DEFAULT-VALUE}).")
    int attentionSize;

    @Option(names = "--dropout", defaultValue = "0.5", paramLabel = "P", description = "Dropout before the output layer, in [0, 1) (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--doubly-stochastic", defaultValue = "1", paramLabel = "λ",
            description = "Weight of the doubly stochastic attention regulariser; 0 turns it off (default: ${DEFAULT-VALUE}).")
    float doublyStochastic;

    @Option(names = "--doubly-stochastic-scale", defaultValue = "image", paramLabel = "image|word|location",
            description = "What the regulariser's sum over images and locations is divided by: the batch size, the batch's words (Xu et al.: the ratio to the caption's summed log-likelihood) or images x locations (sgrvinod's tutorial) (default: ${DEFAULT-VALUE}).",
            converter = RegularizerScaleConverter.class)
    RegularizerScale doublyStochasticScale;

    @Option(names = "--attention-entropy", defaultValue = "0", paramLabel = "γ",
            description = "Weight of a penalty on the entropy of each word's attention, which pushes it onto few locations; 0 turns it off (default: ${DEFAULT-VALUE}).")
    float attentionEntropy;

    @Option(names = "--attention-entropy-warmup", defaultValue = "0", paramLabel = "STEPS",
            description = "Steps over which the attention-entropy weight rises linearly from 0 to its value (default: ${DEFAULT-VALUE}: none).")
    int attentionEntropyWarmup;

    @Option(names = "--attention-entropy-words", paramLabel = "LIST",
            description = "The words whose attention the entropy penalty applies to, comma-separated, e.g. the nouns that name objects (default: every word).")
    String attentionEntropyWords;

    @Option(names = "--attention-supervision", defaultValue = "0", paramLabel = "μ",
            description = "Weight of supervised attention (Liu et al. 2017): each object word of a training caption is pushed to look inside the box of the object it names; needs the data's synth-scenes instances.json; 0 turns it off (default: ${DEFAULT-VALUE}).")
    float attentionSupervision;

    @Option(names = "--deep-output",
            description = "The deep output layer of Xu et al. eq. 7: each word is read from the embedding, the state and what the attention looks at (train: off unless given; compare: always on unless --no-deep-output).")
    boolean deepOutput;

    @Option(names = "--initial-state", defaultValue = "pooled", paramLabel = "pooled|learned|zero",
            description = "Where the attention decoder's first state comes from: the pooled image vector, one learned vector, or zeros (the plain decoder always starts from the pooled vector) (default: ${DEFAULT-VALUE}).",
            converter = InitialStateConverter.class)
    InitialState initialState;

    @Option(names = "--attention-placement", defaultValue = "before-cell", paramLabel = "before-cell|after-cell",
            description = "Attend from h_{t-1} into the cell's input (Xu et al. 2015), or from h_t into the output layer (Lu et al. 2017) (default: ${DEFAULT-VALUE}).",
            converter = PlacementConverter.class)
    AttentionPlacement placement;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "B", description = "Captions per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "4e-4", paramLabel = "RATE", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--lr-decay", defaultValue = "0.8", paramLabel = "γ", description = "Factor of each rate decay, in (0, 1]; 1 keeps it constant (default: ${DEFAULT-VALUE}).")
    float lrDecay;

    @Option(names = "--lr-decay-every", defaultValue = "3", paramLabel = "N", description = "Epochs between decays; with train's --lr-on-plateau: validations without a better CIDEr-D before each decay (default: ${DEFAULT-VALUE}).")
    int lrDecayEvery;

    @Option(names = "--clip-norm", defaultValue = "5", paramLabel = "N", description = "Global gradient norm limit (default: ${DEFAULT-VALUE}).")
    float clipNorm;

    @Option(names = "--sampling-mode", defaultValue = "sample", paramLabel = "sample|argmax",
            description = "How a fed-back word is chosen under scheduled sampling: drawn from the softmax, or its argmax (default: ${DEFAULT-VALUE}).")
    SamplingMode samplingMode;

    @Option(names = "--validation-beam", paramLabel = "K",
            description = "Beam size of the validation captions whose CIDEr-D picks the best checkpoint; 1 is greedy. Give the beam the model will caption with, so the checkpoint chosen is the best under it (default: train 1; compare its test beam, --beam).")
    Integer validationBeam;

    @Option(names = "--weight-average", defaultValue = "0", paramLabel = "D",
            description = "Keep an exponential moving average of the weights with decay D (Polyak averaging; 0.999 averages over about 1,000 steps) and validate, keep as best and test it rather than the last step's weights; 0 is off (default: ${DEFAULT-VALUE}).")
    float weightAverage;

    /** {@code --validation-beam}, or {@code otherwise} where it was not given. */
    int validationBeam(int otherwise) {
        return validationBeam != null ? validationBeam : otherwise;
    }

    /** The first value out of range, as {option key, problem}, e.g. {@code {"dropout", "must be in [0, 1), got 1.5"}}; null when all are good. */
    String[] problem() {
        String[] keys = {"min-word-count", "max-words", "embedding-size", "hidden-size", "attention-size", "batch-size", "lr-decay-every",
            "validation-beam"};
        int[] values = {minWordCount, maxWords, embeddingSize, hiddenSize, attentionSize, batchSize, lrDecayEvery, validationBeam(1)};
        for (int i = 0; i < keys.length; i++) {
            if (values[i] < 1) {
                return new String[] {keys[i], "must be at least 1, got " + values[i]};
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            return new String[] {"dropout", "must be in [0, 1), got " + dropout};
        }
        if (attentionEntropyWarmup < 0) {
            return new String[] {"attention-entropy-warmup", "must be at least 0, got " + attentionEntropyWarmup};
        }
        if (!(attentionEntropy >= 0 && Float.isFinite(attentionEntropy))) {
            return new String[] {"attention-entropy", "must be at least 0, got " + attentionEntropy};
        }
        if (!(attentionSupervision >= 0 && Float.isFinite(attentionSupervision))) {
            return new String[] {"attention-supervision", "must be at least 0, got " + attentionSupervision};
        }
        if (!(doublyStochastic >= 0 && Float.isFinite(doublyStochastic))) {
            return new String[] {"doubly-stochastic", "must be at least 0, got " + doublyStochastic};
        }
        if (!(lr > 0 && Float.isFinite(lr))) {
            return new String[] {"lr", "must be positive, got " + lr};
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            return new String[] {"lr-decay", "must be in (0, 1], got " + lrDecay};
        }
        if (!(clipNorm > 0 && Float.isFinite(clipNorm))) {
            return new String[] {"clip-norm", "must be positive, got " + clipNorm};
        }
        if (!(weightAverage == 0 || weightAverage > 0 && weightAverage < 1)) {
            return new String[] {"weight-average", "must be 0 (off) or in (0, 1), got " + weightAverage};
        }
        return null;
    }

    /** {@code --initial-state}: pooled, learned or zero, with the parser's one-line message. */
    static final class InitialStateConverter implements ITypeConverter<InitialState> {
        @Override
        public InitialState convert(String value) {
            return InitialState.parse(value);
        }
    }

    /** {@code --doubly-stochastic-scale}: image, word or location. */
    static final class RegularizerScaleConverter implements ITypeConverter<RegularizerScale> {
        @Override
        public RegularizerScale convert(String value) {
            return RegularizerScale.parse(value);
        }
    }

    /** {@code --attention-placement}: before-cell or after-cell. */
    static final class PlacementConverter implements ITypeConverter<AttentionPlacement> {
        @Override
        public AttentionPlacement convert(String value) {
            return AttentionPlacement.parse(value);
        }
    }
}
