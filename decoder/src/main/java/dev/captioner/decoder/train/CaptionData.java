package dev.captioner.decoder.train;

import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.data.text.Vocabulary;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captions training reads: every training sentence as an example (image id, word ids), and for the
 * validation images their reference captions, tokenised as the metrics take them.
 */
public final class CaptionData {
    /**
     * One training caption: the image it describes and its word ids, without {@code <start>}/{@code <end>}.
     *
     * @param lookAt for supervised attention, the grid cells each word should look at (null entries: words that may
     *               look anywhere); null when the caption has none ({@link AttentionTargets})
     */
    public record Example(long imageId, int[] words, BitSet[] lookAt) {
        public Example(long imageId, int[] words) {
            this(imageId, words, null);
        }
    }

    /** Where the words of an image's caption should look ({@link AttentionTargets#of}); null for an image without boxes. */
    @FunctionalInterface
    public interface WordRegions {
        BitSet[] of(long imageId, List<String> words);
    }

    private final List<Example> train;
    private final List<Long> validationImages;
    private final Map<Long, List<String>> validationReferences;

    private CaptionData(List<Example> train, List<Long> validationImages, Map<Long, List<String>> validationReferences) {
        this.train = List.copyOf(train);
        this.validationImages = List.copyOf(validationImages);
        this.validationReferences = validationReferences;
    }

    /** Training examples from the {@code train} split (with {@code restval}), references from {@code val}. */
    public static CaptionData of(KarpathySplit split, Vocabulary vocabulary, int maxWords) {
        return of(split, vocabulary, maxWords, null);
    }

    /** As {@link #of(KarpathySplit, Vocabulary, int)}, each training caption with the cells its words should look at. */
    public static CaptionData of(KarpathySplit split, Vocabulary vocabulary, int maxWords, WordRegions regions) {
        List<Example> train = new ArrayList<>();
        for (KarpathyImage image : split.split("train")) {
            for (KarpathySentence sentence : image.sentences()) {
                int n = Math.min(maxWords, sentence.tokens().size());
                int[] words = new int[n];
                for (int t = 0; t < n; t++) {
                    words[t] = vocabulary.id(sentence.tokens().get(t));
                }
                BitSet[] lookAt = regions == null ? null : regions.of(image.id(), sentence.tokens().subList(0, n));
                train.add(new Example(image.id(), words, lookAt));
            }
        }
        List<Long> validation = new ArrayList<>();
        Map<Long, List<String>> references = new LinkedHashMap<>();
        for (KarpathyImage image : split.split("val")) {
            validation.add(image.id());
            List<String> refs = new ArrayList<>();
            for (KarpathySentence sentence : image.sentences()) {
                refs.add(CaptionTokenizer.normalize(sentence.raw()));
            }
            references.put(image.id(), refs);
        }
        return new CaptionData(train, validation, references);
    }

    public List<Example> train() {
        return train;
    }

    public List<Long> validationImages() {
        return validationImages;
    }

    public Map<Long, List<String>> validationReferences() {
        return validationReferences;
    }
}
