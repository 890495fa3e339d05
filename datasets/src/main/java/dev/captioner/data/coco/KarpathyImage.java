package dev.captioner.data.coco;

import java.util.ArrayList;
import java.util.List;

/**
 * One image of a Karpathy split file. {@code id} is the file's {@code cocoid} where it has one, else its
 * {@code imgid}; {@code filepath} is the folder below the image root ({@code val2014}), possibly empty.
 */
public record KarpathyImage(long id, String filepath, String filename, String split, List<KarpathySentence> sentences) {
    public KarpathyImage {
        sentences = List.copyOf(sentences);
    }

    /**
     * The reference captions as the caption metrics take them ({@code CaptionEvaluation}): each sentence's
     * tokens joined by single spaces, in the file's order.
     */
    public List<String> references() {
        List<String> references = new ArrayList<>(sentences.size());
        for (KarpathySentence sentence : sentences) {
            references.add(String.join(" ", sentence.tokens()));
        }
        return references;
    }

    /** The image's path relative to the image root: {@code filepath/filename}. */
    public String relativePath() {
        return filepath == null || filepath.isEmpty() ? filename : filepath + "/" + filename;
    }
}
