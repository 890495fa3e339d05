package dev.captioner.encoder.image;

import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * The EXIF Orientation tag (0x0112): how the stored pixels must be turned to be shown upright. Value
 * {@code n} is the constant with {@link #tag()} {@code n}. {@link #apply} does what OpenCV 4.9's own
 * {@code IMREAD_COLOR} path does, so a file decodes the same way through either.
 *
 * <p>With W×H the stored size, the pixel shown at (x, y) comes from the stored pixel:
 * <pre>
 * 1 NORMAL      (x, y)                  5 TRANSPOSE   (y, x)
 * 2 MIRROR      (W-1-x, y)              6 ROTATE_90   (y, H-1-x)      shown H×W, turned clockwise
 * 3 ROTATE_180  (W-1-x, H-1-y)          7 TRANSVERSE  (W-1-y, H-1-x)
 * 4 FLIP        (x, H-1-y)              8 ROTATE_270  (W-1-y, x)      shown H×W, turned anticlockwise
 * </pre>
 */
public enum ExifOrientation {
    NORMAL,
    MIRROR,
    ROTATE_180,
    FLIP,
    TRANSPOSE,
    ROTATE_90,
    TRANSVERSE,
    ROTATE_270;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int IFD_ENTRY = 12;

    /** The tag's value, 1 to 8. */
    public int tag() {
        return ordinal() + 1;
    }

    /** Whether the image is shown with width and height swapped. */
    public boolean swapsSides() {
        return ordinal() >= TRANSPOSE.ordinal();
    }

    /** The orientation with this tag value; anything outside 1 to 8 counts as {@link #NORMAL}. */
    public static ExifOrientation ofTag(int tag) {
        return tag >= 1 && tag <= 8 ? values()[tag - 1] : NORMAL;
    }

    /**
     * Reads the Orientation tag from a TIFF structure (EXIF's payload, after JPEG's {@code "Exif\0\0"})
     * of {@code length} bytes at {@code offset}: byte order, magic 42, IFD0's entries. Anything malformed,
     * missing or out of bounds gives {@link #NORMAL}: a broken EXIF block is no reason to refuse the
     * pixels, and viewers ignore it too.
     */
    static ExifOrientation fromTiff(byte[] b, int offset, int length) {
        int end = (int) Math.min((long) offset + length, b.length);
        if (offset < 0 || end - offset < 8) {
            return NORMAL;
        }
        boolean little;
        if (b[offset] == 'I' && b[offset + 1] == 'I') {
            little = true;
        } else if (b[offset] == 'M' && b[offset + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(b, offset + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = offset + u32(b, offset + 4, little);
        if (ifd + 2 > end) {
            return NORMAL;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + (long) i * IFD_ENTRY;
            if (entry + IFD_ENTRY > end) {
                return NORMAL;
            }
            int at = (int) entry;
            if (u16(b, at, little) == ORIENTATION_TAG) {
                return u16(b, at + 2, little) == TYPE_SHORT ? ofTag(u16(b, at + 8, little)) : NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * Returns the image turned upright: a new Mat that the caller releases, or {@code image} itself for
     * {@link #NORMAL}.
     */
    public Mat apply(Mat image) {
        if (this == NORMAL) {
            return image;
        }
        Mat out = new Mat();
        switch (this) {
            case MIRROR -> Core.flip(image, out, 1);
            case ROTATE_180 -> Core.rotate(image, out, Core.ROTATE_180);
            case FLIP -> Core.flip(image, out, 0);
            case TRANSPOSE -> Core.transpose(image, out);
            case ROTATE_90 -> Core.rotate(image, out, Core.ROTATE_90_CLOCKWISE);
            case ROTATE_270 -> Core.rotate(image, out, Core.ROTATE_90_COUNTERCLOCKWISE);
            case TRANSVERSE -> {
                Mat transposed = new Mat();
                Core.transpose(image, transposed);
                Core.flip(transposed, out, -1);
                transposed.release();
            }
            default -> throw new AssertionError(this);
        }
        return out;
    }

    private static int u16(byte[] b, int at, boolean little) {
        return little ? Bytes.u16le(b, at) : Bytes.u16be(b, at);
    }

    private static long u32(byte[] b, int at, boolean little) {
        return little ? Bytes.u32le(b, at) : Bytes.u32be(b, at);
    }
}
