package dev.captioner.decoder.train;

import dev.captioner.data.synth.BoundingBox;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.metrics.grounding.GridRegion;
import dev.captioner.metrics.grounding.ObjectMention;

import java.util.BitSet;
import java.util.List;

/**
 * Where each word of a reference caption should look, for supervised attention (Liu et al. 2017, "Attention
 * Correctness in Neural Image Captioning"): the words that name objects ({@link ObjectMention}: the shape noun and
 * the size and colour words before it) get the grid cells whose centre lies in the box of an object they name;
 * every other word (counts, positions, relations, function words) gets none and may look anywhere.
 *
 * <p>A box that holds no cell centre (a small object between centres) gets the cell that holds its own centre,
 * so every named object has somewhere to be looked at. Cells are numbered row by row, as the grid's L locations.
 */
public final class AttentionTargets {
    private AttentionTargets() {}

    /**
     * The cells each word should look at.
     *
     * @param words   the caption's words, as the metrics split them
     * @param objects the image's objects and their boxes, in image pixels
     * @param region  where the {@code rows × cols} grid lies in the image
     * @return one entry a word: the cells, or null where the word is not supervised
     */
    public static BitSet[] of(List<String> words, List<SynthAnnotation> objects, GridRegion region, int rows, int cols) {
        BitSet[] cells = new BitSet[words.size()];
        for (ObjectMention mention : ObjectMention.find(words)) {
            List<SynthAnnotation> named = mention.targets(objects);
            if (named.isEmpty()) {
                continue; // a reference that names no object of its image: nothing to point at
            }
            BitSet look = new BitSet(rows * cols);
            for (SynthAnnotation object : named) {
                look.or(cellsOf(object.bbox(), region, rows, cols));
            }
            int modifiers = (mention.colour() == null ? 0 : 1) + (mention.size() == null ? 0 : 1);
            for (int t = mention.index() - modifiers; t <= mention.index(); t++) {
                cells[t] = look;
            }
        }
        return cells;
    }

    /** The cells whose centre lies in {@code box} ({@code [x, x+w) × [y, y+h)}), else the one that holds its centre. */
    static BitSet cellsOf(BoundingBox box, GridRegion region, int rows, int cols) {
        BitSet cells = new BitSet(rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double[] centre = region.cellCentre(r, c, rows, cols);
                if (centre[0] >= box.x() && centre[0] < box.right() && centre[1] >= box.y() && centre[1] < box.bottom()) {
                    cells.set(r * cols + c);
                }
            }
        }
        if (cells.isEmpty()) {
            int c = clamp((int) Math.floor((box.centreX() - region.x()) * cols / region.width()), cols);
            int r = clamp((int) Math.floor((box.centreY() - region.y()) * rows / region.height()), rows);
            cells.set(r * cols + c);
        }
        return cells;
    }

    private static int clamp(int index, int size) {
        return Math.max(0, Math.min(size - 1, index));
    }
}
