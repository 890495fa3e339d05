package dev.captioner.metrics;

import java.util.Arrays;

/**
 * An insert-only hash map from non-negative {@code long} keys to {@code int} ids, with open addressing
 * in primitive arrays. It interns the n-grams of a scored set: half a million or more of them for 5,000
 * COCO images, where a {@code HashMap<Long, Integer>} would allocate two boxes and an entry per n-gram
 * and spend its time in the garbage collector.
 */
final class LongIntMap {
    private static final long EMPTY = -1L; // keys are non-negative

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;
    private int shift;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or {@code next} after storing it as the value when the key is new. */
    int getOrPut(long key, int next) {
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = next;
                if (++size * 2 > keys.length) { // keep the load at most 1/2, so probes stay short
                    grow();
                }
                return next;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int slot(long key) {
        // Fibonacci hashing: the top bits of key * 2^64/phi spread neighbouring keys over the table
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
        shift = Long.numberOfLeadingZeros(capacity) + 1; // 64 - log2(capacity)
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
