package dev.captioner.data.coco;

import java.util.List;

/**
 * One image of a Karpathy split file. {@code id} is the file's {@code cocoid} where it has one, else its
 * {@code imgid}; {@code filepath} is the folder below the image root ({@code val2014}), possibly empty.
 */
public record KarpathyImage(long id, String filepath, String filename, String split, List<KarpathySentence> sentences) {
    public KarpathyImage {
        sentences = List.copyOf(sentences);
    }

    /** The image's path relative to the image root: {@code filepath/filename}. */
    public String relativePath() {
        return filepath == null || filepath.isEmpty() ? filename : filepath + "/" + filename;
    }
}
