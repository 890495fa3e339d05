package dev.captioner.encoder.cache;

import java.util.Arrays;

/**
 * Image ids by record slot, and the slot of an id: an open-addressing hash table of primitives, about
 * 16 bytes an image (2 MB for COCO's 123k images), where a {@code HashMap<Long, Integer>} would take
 * about 70. Not thread-safe: {@link FeatureCache} guards it.
 */
final class SlotIndex {
    private long[] ids;
    private int size;
    private int[] table; // slot + 1 of the id hashed here; 0 = empty. Power-of-two length, at most half full.

    SlotIndex(int expected) {
        ids = new long[Math.max(16, expected)];
        table = new int[tableLength(ids.length)];
    }

    int size() {
        return size;
    }

    long idAt(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
        return ids[slot];
    }

    /** The slot of {@code id}, or -1. */
    int slotOf(long id) {
        int mask = table.length - 1;
        for (int i = hash(id) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return -1;
            }
            if (ids[entry - 1] == id) {
                return entry - 1;
            }
        }
    }

    /** Gives {@code id} the next slot and returns it; the caller has checked that it is absent. */
    int add(long id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        if (2 * (size + 1) > table.length) {
            rehash(table.length * 2);
        }
        int slot = size++;
        ids[slot] = id;
        insert(slot);
        return slot;
    }

    long[] toArray() {
        return Arrays.copyOf(ids, size);
    }

    private void insert(int slot) {
        int mask = table.length - 1;
        int i = hash(ids[slot]) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    private void rehash(int length) {
        table = new int[length];
        for (int slot = 0; slot < size; slot++) {
            insert(slot);
        }
    }

    private static int tableLength(int entries) {
        return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) * 2;
    }

    private static int hash(long id) {
        long h = id * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: sequential ids spread over the table
        return (int) (h ^ (h >>> 32));
    }
}
