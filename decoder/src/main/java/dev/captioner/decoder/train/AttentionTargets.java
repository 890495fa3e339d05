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
            for (int t = mention.firstIndex(); t <= mention.index(); t++) {
                cells[t] = look;
            }
        }
        return cells;
    }

    /** The cells whose centre lies in {@code box}, else the one that holds its centre. */
    static BitSet cellsOf(BoundingBox box, GridRegion region, int rows, int cols) {
        BitSet cells = region.cellsCentredIn(box, rows, cols);
        if (cells.isEmpty()) {
            cells.set(region.cellAt(box.centreX(), box.centreY(), rows, cols));
        }
        return cells;
    }
}
