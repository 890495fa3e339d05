package dev.captioner.metrics.grounding;

import dev.captioner.data.synth.SynthAnnotation;
import java.util.List;
import java.util.Objects;

/**
 * One generated caption to ground: its words, the attention over the encoder's grid when each word was
 * chosen, the region of the image the grid covers and the image's objects.
 *
 * @param imageId the image, for messages
 * @param words   the caption's words, without {@code <start>} and {@code <end>}
 * @param alphas  per word, the attention weights {@code [rows][cols]}, row 0 at the top of the region; all
 *                of one shape
 * @param region  where the grid lies in the image, in pixels
 * @param objects the image's objects with their boxes in the same pixels ({@code instances.json})
 */
public record GroundingCase(long imageId, List<String> words, List<float[][]> alphas, GridRegion region,
        List<SynthAnnotation> objects) {

    /**
     * @throws IllegalArgumentException naming the image where there is not one grid per word, a grid is
     *                                  empty or ragged, or the grids differ in shape
     */
    public GroundingCase {
        Objects.requireNonNull(region, "region");
        words = List.copyOf(words);
        alphas = List.copyOf(alphas);
        objects = List.copyOf(objects);
        if (alphas.size() != words.size()) {
            throw new IllegalArgumentException("image " + imageId + ": " + words.size() + " words but " + alphas.size()
                    + " attention grids (one per word is needed; a plain decoder has none and cannot be grounded)");
        }
        int rows = -1;
        int cols = -1;
        for (int t = 0; t < alphas.size(); t++) {
            float[][] grid = alphas.get(t);
            if (grid.length == 0 || grid[0].length == 0) {
                throw new IllegalArgumentException("image " + imageId + ": the attention grid of word " + t + " is empty");
            }
            for (float[] row : grid) {
                if (row.length != grid[0].length) {
                    throw new IllegalArgumentException("image " + imageId + ": the attention grid of word " + t + " is ragged");
                }
            }
            if (rows < 0) {
                rows = grid.length;
                cols = grid[0].length;
            } else if (grid.length != rows || grid[0].length != cols) {
                throw new IllegalArgumentException("image " + imageId + ": word " + t + " has a " + grid.length + "x"
                        + grid[0].length + " attention grid, word 0 a " + rows + "x" + cols + " one");
            }
        }
        for (SynthAnnotation object : objects) {
            if (object.imageId() != imageId) {
                throw new IllegalArgumentException("image " + imageId + ": object " + object.id() + " belongs to image "
                        + object.imageId());
            }
        }
    }
}
