package dev.captioner.pipeline.model;

import dev.captioner.encoder.image.ImageInput;
import java.nio.file.Path;
import java.util.List;

/**
 * The captions of one image, best first (one with greedy search; the n best with beam search). The
 * accessors {@link #text()}, {@link #words()}, {@link #logProb()} and {@link #attention()} read the best.
 *
 * @param input    the image captioned: a file, or an image held in memory
 * @param captions at least one, best first
 */
public record CaptionResult(ImageInput input, List<Caption> captions) {

    public CaptionResult {
        captions = List.copyOf(captions);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("a result holds at least one caption");
        }
    }

    /** The file captioned, or null for an image held in memory. */
    public Path image() {
        return input.file();
    }

    public Caption best() {
        return captions.get(0);
    }

    public String text() {
        return best().text();
    }

    public List<String> words() {
        return best().words();
    }

    public double logProb() {
        return best().logProb();
    }

    /** Per word of the best caption, the attention grid {@code [rows][cols]}; empty for a plain decoder. */
    public List<float[][]> attention() {
        return best().attention();
    }
}
