package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SceneSamplerTest {

    @Test
    void objectsAreInsideTheirCellsAndNeverOverlap() {
        for (int maxObjects : new int[] {1, 4, 9}) {
            for (int size : new int[] {SceneSampler.MIN_SIZE, 96, 224, 227}) {
                SceneSampler sampler = new SceneSampler(size, maxObjects);
                SplittableRandom random = new SplittableRandom(size * 31L + maxObjects);
                Set<Integer> counts = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    Scene scene = sampler.sample(i, random);
                    List<SceneObject> objects = scene.objects();
                    String where = "size " + size + " scene " + i + " " + CaptionTruth.describe(scene);
                    assertTrue(objects.size() >= 1 && objects.size() <= maxObjects, where);
                    counts.add(objects.size());
                    Set<String> kinds = new HashSet<>();
                    for (int a = 0; a < objects.size(); a++) {
                        SceneObject o = objects.get(a);
                        assertTrue(o.box().inside(size, size), where);
                        Position cell = o.position();
                        assertTrue(o.box().x() > cell.left(size) && o.box().right() < cell.right(size)
                                && o.box().y() > cell.top(size) && o.box().bottom() < cell.bottom(size), "strictly inside its cell: " + where);
                        assertTrue(kinds.add(o.colour() + " " + o.shape()), "colour and shape name one object: " + where);
                        double side = size / 3;
                        assertTrue(o.radius() >= o.size().minRadius() * side - 1e-9 && o.radius() <= o.size().maxRadius() * side + 1
                                , "radius fits the size class: " + where);
                        if (a > 0) {
                            assertTrue(objects.get(a - 1).position().compareTo(cell) < 0, "reading order, one object per cell: " + where);
                        }
                        for (int b = 0; b < a; b++) {
                            assertFalse(o.box().overlaps(objects.get(b).box()), "boxes overlap: " + where);
                        }
                    }
                }
                assertEquals(maxObjects, counts.size(), "every count from 1 to " + maxObjects + " occurs");
            }
        }
    }

    @Test
    void sameGeneratorStateGivesTheSameScene() {
        SceneSampler sampler = new SceneSampler(128, 4);
        assertEquals(sampler.sample(3, new SplittableRandom(99)), sampler.sample(3, new SplittableRandom(99)));
        assertFalse(sampler.sample(3, new SplittableRandom(99)).equals(sampler.sample(3, new SplittableRandom(100))));
    }

    @Test
    void backgroundsStayFarFromEveryObjectColour() {
        SceneSampler sampler = new SceneSampler(96, 1);
        SplittableRandom random = new SplittableRandom(4);
        double nearest = Double.MAX_VALUE;
        for (int i = 0; i < 3000; i++) {
            Background background = sampler.sample(i, random).background();
            for (int end : new int[] {background.from(), background.to()}) {
                for (Colour colour : Colour.values()) {
                    nearest = Math.min(nearest, distance(end, colour.rgb()));
                }
            }
            double contrast = Math.abs(grey(background.from()) - grey(background.to()));
            assertTrue(contrast >= 40 - 2 * Background.TINT, "the gradient is visible: " + background);
        }
        // Jitter moves an object's colour by at most sqrt(3) * 10 and noise is shared by both, so 60 leaves a wide gap.
        assertTrue(nearest >= 60, "nearest background-to-colour distance " + nearest);
    }

    @Test
    void coloursAreFarApart() {
        for (Colour a : Colour.values()) {
            for (Colour b : Colour.values()) {
                if (a != b) {
                    assertTrue(distance(a.rgb(), b.rgb()) >= 80, a + " and " + b);
                }
            }
        }
    }

    @Test
    void rejectsSizesAndCountsTheGridCannotHold() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new SceneSampler(SceneSampler.MIN_SIZE - 1, 4));
        assertTrue(small.getMessage().contains("at least") || small.getMessage().contains("between"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SceneSampler(96, 0));
        assertThrows(IllegalArgumentException.class, () -> new SceneSampler(96, 10));
    }

    private static double grey(int rgb) {
        return (Background.red(rgb) + Background.green(rgb) + Background.blue(rgb)) / 3.0;
    }

    static double distance(int rgb1, int rgb2) {
        double dr = Background.red(rgb1) - Background.red(rgb2);
        double dg = Background.green(rgb1) - Background.green(rgb2);
        double db = Background.blue(rgb1) - Background.blue(rgb2);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
