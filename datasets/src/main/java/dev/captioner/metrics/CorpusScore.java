package dev.captioner.metrics;

import java.util.Arrays;

/**
 * One metric's score over a scored set: the corpus figure (what COCO reports) and one figure per image,
 * in the order the images were given. For ROUGE-L and CIDEr-D the corpus figure is the mean of the
 * per-image ones; for BLEU it is not (see {@link Bleu}).
 *
 * @param corpus   the score of the whole set
 * @param perImage the score of each image; the accessor returns a copy
 */
public record CorpusScore(double corpus, double[] perImage) {
    public CorpusScore {
        perImage = perImage.clone();
    }

    /** A copy of the per-image scores, in input order. */
    @Override
    public double[] perImage() {
        return perImage.clone();
    }

    /** The score of the image at {@code index} in input order. */
    public double image(int index) {
        return perImage[index];
    }

    public int images() {
        return perImage.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorpusScore other
                && Double.compare(corpus, other.corpus) == 0
                && Arrays.equals(perImage, other.perImage);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(corpus) + Arrays.hashCode(perImage);
    }

    @Override
    public String toString() {
        return "CorpusScore[corpus=" + corpus + ", images=" + perImage.length + "]";
    }
}
