package dev.captioner.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RelationTest {
    private static final double MARGIN = 5;

    @Test
    void sideBySideAndOneAboveTheOther() {
        BoundingBox left = new BoundingBox(0, 40, 20, 20);
        BoundingBox right = new BoundingBox(60, 45, 20, 20);
        assertEquals(Relation.LEFT_OF, Relation.between(left, right, MARGIN));
        assertEquals(Relation.RIGHT_OF, Relation.between(right, left, MARGIN));
        BoundingBox top = new BoundingBox(40, 0, 20, 20);
        BoundingBox bottom = new BoundingBox(38, 70, 20, 20);
        assertEquals(Relation.ABOVE, Relation.between(top, bottom, MARGIN));
        assertEquals(Relation.BELOW, Relation.between(bottom, top, MARGIN));
        for (Relation relation : Relation.values()) {
            assertEquals(relation, relation.inverse().inverse());
        }
    }

    @Test
    void diagonalCloseOrOverlappingProjectionsHaveNoRelation() {
        BoundingBox a = new BoundingBox(0, 0, 20, 20);
        assertNull(Relation.between(a, new BoundingBox(50, 50, 20, 20), MARGIN), "diagonal");
        // Centre offsets (50, 34): 1.5 * 34 > 50, too steep; (50, 33): 1.5 * 33 <= 50, to the left.
        assertNull(Relation.between(a, new BoundingBox(50, 34, 20, 20), MARGIN), "too steep for side by side");
        assertEquals(Relation.LEFT_OF, Relation.between(a, new BoundingBox(50, 33, 20, 20), MARGIN));
        assertNull(Relation.between(a, new BoundingBox(3, 0, 20, 20), MARGIN), "centres closer than the margin");
        assertNull(Relation.between(new BoundingBox(0, 0, 40, 10), new BoundingBox(30, 0, 40, 10), MARGIN), "boxes share columns");
    }
}
