package dev.captioner.encoder.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatTest {

    /** The value of a half's bits from its definition, in double arithmetic. */
    private static double reference(int bits) {
        int sign = (bits & 0x8000) != 0 ? -1 : 1;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) {
            return fraction == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * Math.scalb((double) fraction, -24);
        }
        return sign * Math.scalb((double) (1024 + fraction), exponent - 25);
    }

    private static String hex(int bits) {
        return String.format("0x%04X", bits & 0xFFFF);
    }

    @Test
    void everyHalfConvertsToItsExactValue() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            double expected = reference(bits);
            float actual = HalfFloat.toFloat((short) bits);
            assertEquals(HalfFloat.convertToFloat((short) bits), actual, 0.0f);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), hex(bits));
            } else {
                // Exact, including the sign of zero.
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), hex(bits));
            }
        }
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float value = HalfFloat.toFloat((short) bits);
            short back = HalfFloat.fromFloat(value);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(HalfFloat.toFloat(back)), hex(bits));
            } else {
                assertEquals(hex(bits), hex(back));
            }
        }
    }

    /**
     * Between every two neighbouring finite halves of one sign: the midpoint goes to the one with an even
     * last bit, and the floats just either side of it go to the nearer half. This covers every rounding
     * boundary of the format, normal, subnormal and across the exponent steps.
     */
    @Test
    void everyTieRoundsToEvenAndEveryOtherValueToNearest() {
        for (int sign : new int[] {0, 0x8000}) {
            for (int low = 0; low < 0x7BFF; low++) {
                int high = low + 1;
                double a = reference(sign | low);
                double b = reference(sign | high);
                float mid = (float) ((a + b) / 2); // exact: halves have 11 significant bits, floats 24
                assertEquals((a + b) / 2, mid, 0.0);
                int even = (low & 1) == 0 ? low : high;
                assertEquals(hex(sign | even), hex(HalfFloat.fromFloat(mid)), "midpoint of " + hex(low));
                float towardLow = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
                float towardHigh = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
                assertEquals(hex(sign | low), hex(HalfFloat.fromFloat(towardLow)), "below midpoint of " + hex(low));
                assertEquals(hex(sign | high), hex(HalfFloat.fromFloat(towardHigh)), "above midpoint of " + hex(low));
            }
        }
    }

    /** Against a nearest-value search over all finite halves, for 8.6 million floats spread over the range. */
    @Test
    void matchesANearestValueSearch() {
        double[] halves = new double[0x7C00]; // the finite non-negative halves, ascending with their bits
        for (int bits = 0; bits < halves.length; bits++) {
            halves[bits] = reference(bits);
        }
        for (long bits = 0; bits < 0x7F80_0000L; bits += 251) {
            float value = Float.intBitsToFloat((int) bits);
            int expected = nearest(halves, value);
            if (HalfFloat.fromFloat(value) != (short) expected || HalfFloat.fromFloat(-value) != (short) (expected | 0x8000)) {
                assertEquals(hex(expected), hex(HalfFloat.fromFloat(value)), Float.toString(value));
                assertEquals(hex(expected | 0x8000), hex(HalfFloat.fromFloat(-value)), Float.toString(-value));
            }
        }
    }

    private static int nearest(double[] halves, double value) {
        if (value >= 65520.0) {
            return 0x7C00;
        }
        int lo = 0;
        int hi = halves.length - 1;
        while (hi - lo > 1) { // halves[lo] <= value < halves[hi] where possible
            int mid = (lo + hi) >>> 1;
            if (halves[mid] <= value) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double below = value - halves[lo];
        double above = halves[hi] - value;
        if (value >= halves[hi]) {
            return hi;
        }
        if (below < above) {
            return lo;
        }
        if (above < below) {
            return hi;
        }
        return (lo & 1) == 0 ? lo : hi;
    }

    @Test
    void edgeCases() {
        assertEquals("0x0000", hex(HalfFloat.fromFloat(0.0f)));
        assertEquals("0x8000", hex(HalfFloat.fromFloat(-0.0f)));
        assertEquals("0x3C00", hex(HalfFloat.fromFloat(1.0f)));
        assertEquals("0xC000", hex(HalfFloat.fromFloat(-2.0f)));
        // Largest finite, overflow to infinity at the midpoint 65520 (the tie goes to the even 2^16).
        assertEquals("0x7BFF", hex(HalfFloat.fromFloat(65504f)));
        assertEquals("0x7BFF", hex(HalfFloat.fromFloat(Math.nextDown(65520f))));
        assertEquals("0x7C00", hex(HalfFloat.fromFloat(65520f)));
        assertEquals("0xFC00", hex(HalfFloat.fromFloat(-65520f)));
        assertEquals("0x7C00", hex(HalfFloat.fromFloat(1e10f)));
        assertEquals("0x7C00", hex(HalfFloat.fromFloat(Float.MAX_VALUE)));
        assertEquals("0x7C00", hex(HalfFloat.fromFloat(Float.POSITIVE_INFINITY)));
        assertEquals("0xFC00", hex(HalfFloat.fromFloat(Float.NEGATIVE_INFINITY)));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloat.toFloat((short) 0xFC00));
        assertEquals(HalfFloat.MAX_VALUE, HalfFloat.toFloat((short) 0x7BFF));
        // NaN stays NaN, signalling NaNs with low payload bits too (they must not become infinity).
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.intBitsToFloat(0x7F80_0001)))));
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.intBitsToFloat(0xFF80_0001)))));
        assertTrue(Float.isNaN(HalfFloat.toFloat((short) 0x7C01)));
        // Subnormals: 2^-24 is the smallest; 2^-25 is a tie that goes to zero; just above it, up.
        assertEquals("0x0001", hex(HalfFloat.fromFloat(0x1p-24f)));
        assertEquals("0x0000", hex(HalfFloat.fromFloat(0x1p-25f)));
        assertEquals("0x8000", hex(HalfFloat.fromFloat(-0x1p-25f)));
        assertEquals("0x0001", hex(HalfFloat.fromFloat(Math.nextUp(0x1p-25f))));
        assertEquals("0x0000", hex(HalfFloat.fromFloat(Float.MIN_VALUE)));
        assertEquals("0x0002", hex(HalfFloat.fromFloat(3 * 0x1p-25f)));
        assertEquals("0x0002", hex(HalfFloat.fromFloat(5 * 0x1p-25f)));
        assertEquals("0x03FF", hex(HalfFloat.fromFloat(1023 * 0x1p-24f)));
        assertEquals("0x0400", hex(HalfFloat.fromFloat(1023.5f * 0x1p-24f))); // tie: up into the normals
        assertEquals("0x0400", hex(HalfFloat.fromFloat(0x1p-14f)));
        assertEquals(0x1p-24f, HalfFloat.toFloat((short) 0x0001));
        assertEquals(-0x1p-24f, HalfFloat.toFloat((short) 0x8001));
        assertEquals(1023 * 0x1p-24f, HalfFloat.toFloat((short) 0x03FF));
        // Ties in the normals: 1 + 2^-11 lies between 1 and 1 + 2^-10.
        assertEquals("0x3C00", hex(HalfFloat.fromFloat(1 + 0x1p-11f)));
        assertEquals("0x3C02", hex(HalfFloat.fromFloat(1 + 3 * 0x1p-11f)));
        assertEquals("0x6800", hex(HalfFloat.fromFloat(2049f))); // 2048 and 2050: even is 2048
        assertEquals("0x6802", hex(HalfFloat.fromFloat(2051f))); // 2050 and 2052: even is 2052
        // A carry out of the fraction moves the exponent: 2047.9 rounds to 2048.
        assertEquals("0x6800", hex(HalfFloat.fromFloat(2047.9f)));
    }
}
