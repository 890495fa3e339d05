package dev.captioner.encoder.cache;

/**
 * IEEE 754 binary16 ("half") conversions, for Java 17, which lacks {@code Float.floatToFloat16}
 * (Java 20). Both directions give the same values as that method and {@code Float.float16ToFloat}
(NaN payloads aside):
 *
 * <ul>
 *   <li>{@link #toFloat} is exact: every half value, subnormals included, is a float.
 *   <li>{@link #fromFloat} rounds to nearest, ties to even. Magnitudes of 65520 and above (half way
 *       between the largest half, 65504, and 2^16) become infinity; magnitudes of 2^-25 and below
 *       become a signed zero; between 2^-25 and 2^-14 the result is subnormal, rounded the same way.
 *       Infinities keep their sign; NaN stays NaN (quiet, with the top payload bits kept).
 * </ul>
 *
 * A half has 1 sign bit, 5 exponent bits (bias 15) and 10 fraction bits: 3 significant decimal
 * digits, largest finite 65504, smallest normal 2^-14, smallest subnormal 2^-24.
 */
public final class HalfFloat {
    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = convertToFloat((short) h);
        }
    }

    private HalfFloat() {}

    /** The float of a half's bits: exact. A table look-up (256 KB, filled once). */
    public static float toFloat(short half) {
        return TO_FLOAT[half & 0xFFFF];
    }

    /** The half nearest to {@code value}, ties to even. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= 0x7F80_0000) { // infinity or NaN
            if (abs == 0x7F80_0000) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF)); // quiet NaN, top payload bits kept
        }
        if (abs >= 0x477F_F000) { // >= 65520: rounds past 65504 to 2^16, which is infinity
            return (short) (sign | 0x7C00);
        }
        if (abs >= 0x3880_0000) { // >= 2^-14: a normal half
            int rebiased = abs - 0x3800_0000; // exponent bias 127 -> 15
            // Round the 13 dropped fraction bits to nearest, ties to the even kept bit. A carry out of
            // the fraction correctly moves the exponent up.
            int rounded = rebiased + 0x0FFF + ((rebiased >>> 13) & 1);
            return (short) (sign | (rounded >>> 13));
        }
        if (abs < 0x3300_0000) { // < 2^-25: nearer zero than the smallest subnormal (the tie goes below)
            return (short) sign;
        }
        // Subnormal half: the fraction is value / 2^-24, rounded. value = significand * 2^(e - 150)
        // with a 24-bit significand, so the fraction is significand >> (126 - e), e in [102, 112].
        int exponent = abs >>> 23;
        int significand = (abs & 0x007F_FFFF) | 0x0080_0000;
        int shift = 126 - exponent; // 14 .. 24
        int fraction = significand >>> shift;
        int rest = significand & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (fraction & 1) != 0)) {
            fraction++; // may reach 0x400, which is exactly the smallest normal's encoding
        }
        return (short) (sign | fraction);
    }

    /** The arithmetic behind {@link #toFloat}'s table. */
    static float convertToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) { // infinity (fraction 0) or NaN, payload kept
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (fraction << 13));
        }
        if (exponent == 0) { // zero or subnormal: fraction * 2^-24, exact in float
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }
}
