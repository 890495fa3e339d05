package dev.captioner.data.synth;

/** An axis-aligned box in whole pixels, COCO's {@code [x, y, w, h]}: columns {@code x..x+w-1}, rows {@code y..y+h-1}. */
public record BoundingBox(int x, int y, int width, int height) {
    public BoundingBox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a bounding box needs a positive width and height, got " + width + "x" + height);
        }
    }

    public double centreX() {
        return x + width / 2.0;
    }

    public double centreY() {
        return y + height / 2.0;
    }

    /** One past the last column. */
    public int right() {
        return x + width;
    }

    /** One past the last row. */
    public int bottom() {
        return y + height;
    }

    /** True where the two boxes share at least one pixel. */
    public boolean overlaps(BoundingBox other) {
        return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }

    /** True where the box lies wholly inside a {@code width × height} image. */
    public boolean inside(int imageWidth, int imageHeight) {
        return x >= 0 && y >= 0 && right() <= imageWidth && bottom() <= imageHeight;
    }
}
