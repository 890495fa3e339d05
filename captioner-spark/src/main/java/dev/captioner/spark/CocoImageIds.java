package dev.captioner.spark;

/**
 * An image's COCO id from its file name, as synth-scenes names its images: {@code 009006.jpg} is image
 * 9006 ({@code SynthScenes.fileName}), and COCO's own files ({@code COCO_val2014_000000391895.jpg}) end in
 * their id the same way. The id is the run of digits that ends the name before its extension.
 */
final class CocoImageIds {
    private CocoImageIds() {}

    /**
     * The id of the image at {@code path} (a path or URI; only the file name counts).
     *
     * @return the id, or -1 where the name does not end in digits
     */
    static long of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        int start = stem.length();
        while (start > 0 && Character.isDigit(stem.charAt(start - 1))) {
            start--;
        }
        if (start == stem.length() || stem.length() - start > 18) {
            return -1;
        }
        return Long.parseLong(stem.substring(start));
    }
}
