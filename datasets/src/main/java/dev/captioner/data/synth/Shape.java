package dev.captioner.data.synth;

/**
 * The object categories of synth-scenes. Each shape is a filled outline in unit coordinates: its
 * bounding box is centred on the origin and lies within {@code [-1, 1]²}, so an object of radius
 * {@code r} centred at {@code (cx, cy)} has the vertices {@code (cx + r·x, cy + r·y)}. The centre of
 * every shape is inside it (a star's inner pentagon, a cross's crossing), so the pixel at the centre of
 * an object's box has the object's colour.
 */
public enum Shape {
    CIRCLE("circle", "circles", null),
    SQUARE("square", "squares", new double[] {-0.85, -0.85, 0.85, -0.85, 0.85, 0.85, -0.85, 0.85}),
    /** Equilateral, pointing up. */
    TRIANGLE("triangle", "triangles", new double[] {0, -0.866, 1, 0.866, -1, 0.866}),
    /** Five points, inner radius 0.45 of the outer. */
    STAR("star", "stars", star()),
    /** A rhombus taller than wide, so it is not a turned square. */
    DIAMOND("diamond", "diamonds", new double[] {0, -1, 0.75, 0, 0, 1, -0.75, 0}),
    /** Regular, flat top and bottom. */
    HEXAGON("hexagon", "hexagons", hexagon()),
    /** A plus sign with arms 0.32 wide on each side of the centre line. */
    CROSS("cross", "crosses", new double[] {
        -0.32, -1, 0.32, -1, 0.32, -0.32, 1, -0.32, 1, 0.32, 0.32, 0.32,
        0.32, 1, -0.32, 1, -0.32, 0.32, -1, 0.32, -1, -0.32, -0.32, -0.32});

    private final String word;
    private final String plural;
    /** x0, y0, x1, y1, ... in unit coordinates; null for the circle. */
    private final double[] unitVertices;
    private final double minX;
    private final double maxX;
    private final double minY;
    private final double maxY;
    private final double unitArea;

    Shape(String word, String plural, double[] unitVertices) {
        this.word = word;
        this.plural = plural;
        this.unitVertices = unitVertices;
        if (unitVertices == null) {
            minX = -1;
            maxX = 1;
            minY = -1;
            maxY = 1;
            unitArea = Math.PI;
        } else {
            double x0 = Double.MAX_VALUE;
            double x1 = -Double.MAX_VALUE;
            double y0 = Double.MAX_VALUE;
            double y1 = -Double.MAX_VALUE;
            double twiceArea = 0;
            int n = unitVertices.length / 2;
            for (int i = 0; i < n; i++) {
                double x = unitVertices[2 * i];
                double y = unitVertices[2 * i + 1];
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
                int j = (i + 1) % n;
                twiceArea += x * unitVertices[2 * j + 1] - unitVertices[2 * j] * y;
            }
            minX = x0;
            maxX = x1;
            minY = y0;
            maxY = y1;
            unitArea = Math.abs(twiceArea) / 2;
        }
    }

    /** The caption word: {@code circle}. */
    public String word() {
        return word;
    }

    /** The plural caption word: {@code crosses}. */
    public String plural() {
        return plural;
    }

    /** The category id in {@code instances.json}: 1 for the first shape, in declaration order. */
    public int categoryId() {
        return ordinal() + 1;
    }

    public boolean isCircle() {
        return unitVertices == null;
    }

    /** The area of the shape drawn with radius 1. */
    public double unitArea() {
        return unitArea;
    }

    public double minX() {
        return minX;
    }

    public double maxX() {
        return maxX;
    }

    public double minY() {
        return minY;
    }

    public double maxY() {
        return maxY;
    }

    /** The outline of an object of this shape in pixels, x0, y0, x1, y1, ...; empty for the circle. */
    public double[] vertices(double cx, double cy, double radius) {
        if (unitVertices == null) {
            return new double[0];
        }
        double[] out = new double[unitVertices.length];
        for (int i = 0; i < out.length; i += 2) {
            out[i] = cx + radius * unitVertices[i];
            out[i + 1] = cy + radius * unitVertices[i + 1];
        }
        return out;
    }

    /** The shape whose singular word is {@code word}, or null. */
    public static Shape fromWord(String word) {
        for (Shape shape : values()) {
            if (shape.word.equals(word)) {
                return shape;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word;
    }

    private static double[] star() {
        double[] v = new double[20];
        double outerBottom = Math.cos(Math.toRadians(36));
        double shift = (1 - outerBottom) / 2; // centres the box vertically: y runs from -1 + shift to outerBottom + shift
        for (int i = 0; i < 10; i++) {
            double angle = Math.toRadians(-90 + 36 * i);
            double radius = i % 2 == 0 ? 1 : 0.45;
            v[2 * i] = radius * Math.cos(angle);
            v[2 * i + 1] = radius * Math.sin(angle) + shift;
        }
        return v;
    }

    private static double[] hexagon() {
        double[] v = new double[12];
        for (int i = 0; i < 6; i++) {
            double angle = Math.toRadians(60 * i);
            v[2 * i] = Math.cos(angle);
            v[2 * i + 1] = Math.sin(angle);
        }
        return v;
    }
}
