package dev.captioner.encoder.image;

/** Unsigned reads from a byte array, big- and little-endian; the caller checks the bounds. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16be(byte[] b, int at) {
        return (u8(b, at) << 8) | u8(b, at + 1);
    }

    static int u16le(byte[] b, int at) {
        return u8(b, at) | (u8(b, at + 1) << 8);
    }

    static int u24le(byte[] b, int at) {
        return u16le(b, at) | (u8(b, at + 2) << 16);
    }

    static long u32be(byte[] b, int at) {
        return ((long) u16be(b, at) << 16) | u16be(b, at + 2);
    }

    static long u32le(byte[] b, int at) {
        return u16le(b, at) | ((long) u16le(b, at + 2) << 16);
    }

    /** Signed 32-bit little-endian. */
    static int s32le(byte[] b, int at) {
        return (int) u32le(b, at);
    }

    /** Whether {@code length} bytes from {@code at} lie inside the array. */
    static boolean has(byte[] b, long at, long length) {
        return at >= 0 && length >= 0 && at + length <= b.length;
    }
}
