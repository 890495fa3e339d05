package dev.captioner.data.text;

/**
 * A batch of captions as padded id arrays: {@code ids[b]} is {@code <start> w1 .. wn <end> <pad>...},
 * all rows of one width, and {@code lengths[b]} counts the ids before padding (start and end included).
 */
public record EncodedCaptions(int[][] ids, int[] lengths) {
    /** Rows in the batch. */
    public int size() {
        return lengths.length;
    }

    /** The width every row is padded to. */
    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}
