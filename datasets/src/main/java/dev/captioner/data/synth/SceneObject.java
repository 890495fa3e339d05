package dev.captioner.data.synth;

/**
 * One object of a scene: what it is (shape, colour name, size class), where its grid cell is, and the
 * geometry it is drawn with: centre and radius in pixels (sub-pixel), its exact colour {@code rgb}
 * ({@code 0xRRGGBB}, the colour's value with jitter) and the box of the pixels it touches.
 */
public record SceneObject(Shape shape, Colour colour, ObjectSize size, Position position,
        double centreX, double centreY, double radius, int rgb, BoundingBox box) {

    /** The box of the pixels an object with this geometry touches, anti-aliased edge included. */
    public static BoundingBox boxOf(Shape shape, double centreX, double centreY, double radius) {
        int x0 = (int) Math.floor(centreX + radius * shape.minX());
        int x1 = (int) Math.ceil(centreX + radius * shape.maxX());
        int y0 = (int) Math.floor(centreY + radius * shape.minY());
        int y1 = (int) Math.ceil(centreY + radius * shape.maxY());
        return new BoundingBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** The area of the drawn shape in square pixels (the geometric area, not a pixel count). */
    public double area() {
        return shape.unitArea() * radius * radius;
    }

    /** The object's words: {@code small red circle}. */
    public String describe() {
        return size.word() + " " + colour.word() + " " + shape.word();
    }
}
