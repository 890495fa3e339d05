package dev.captioner.encoder.cache;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Read-only memory mappings of {@code features.bin}, in chunks of whole records of at most
 * {@code chunkBytes} each (1 GiB by default; one mapping cannot exceed 2 GiB), so a record never
 * straddles two mappings and files of any size can be read. The pages belong to the OS page cache,
 * not the Java heap: a cache larger than RAM is read from disk on demand.
 *
 * <p>Mappings cover a prefix of the file and grow on demand ({@link #cover}). The current mappings are
 * one immutable snapshot behind a volatile field, so reads take no lock and any number of threads may
 * read at once; growing is synchronized. Nothing is unmapped explicitly (Java 17 has no public way);
 * the mappings go when they are garbage.
 */
final class MappedRecords implements AutoCloseable {
    static final long DEFAULT_CHUNK_BYTES = 1L << 30;

    private final FileChannel channel;
    private final StorageType storage;
    private final int recordBytes;
    private final int recordValues;
    private final int recordsPerChunk;
    private volatile Snapshot snapshot = new Snapshot(new Buffer[0], 0);

    /** The chunk views and how many records they cover; chunk c holds slots [c·perChunk, (c+1)·perChunk). */
    private static final class Snapshot {
        final Buffer[] chunks;
        final long records;

        Snapshot(Buffer[] chunks, long records) {
            this.chunks = chunks;
            this.records = records;
        }
    }

    MappedRecords(Path file, CacheLayout layout, long chunkBytes) throws IOException {
        this.storage = layout.storage();
        this.recordBytes = layout.recordBytes();
        this.recordValues = layout.recordValues();
        this.recordsPerChunk = (int) Math.max(1, Math.min(chunkBytes, Integer.MAX_VALUE) / recordBytes);
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Maps the first {@code records} records, if not yet mapped; the file must hold them. */
    synchronized void cover(long records) throws IOException {
        Snapshot old = snapshot;
        if (records <= old.records) {
            return;
        }
        int chunkCount = (int) ((records + recordsPerChunk - 1) / recordsPerChunk);
        Buffer[] chunks = Arrays.copyOf(old.chunks, chunkCount);
        // The last old chunk may be partial: map it again, larger.
        int first = (int) (old.records / recordsPerChunk);
        for (int c = first; c < chunkCount; c++) {
            long start = (long) c * recordsPerChunk;
            long count = Math.min(recordsPerChunk, records - start);
            chunks[c] = storage.view(channel.map(FileChannel.MapMode.READ_ONLY, start * recordBytes, count * recordBytes));
        }
        snapshot = new Snapshot(chunks, records);
    }

    /** Reads {@code length} values from value {@code offset} of the record in {@code slot}. */
    void read(int slot, int offset, float[] dst, int dstOffset, int length) throws IOException {
        Buffer chunk = chunk(slot);
        storage.decode(chunk, (slot % recordsPerChunk) * recordValues + offset, dst, dstOffset, length);
    }

    /** Same, into {@code dst} at its position. */
    void read(int slot, int offset, FloatBuffer dst, int length) throws IOException {
        Buffer chunk = chunk(slot);
        storage.decode(chunk, (slot % recordsPerChunk) * recordValues + offset, dst, length);
    }

    int recordsPerChunk() {
        return recordsPerChunk;
    }

    private Buffer chunk(int slot) throws IOException {
        Snapshot s = snapshot;
        if (slot >= s.records) {
            cover(slot + 1L);
            s = snapshot;
        }
        return s.chunks[slot / recordsPerChunk];
    }

    @Override
    public void close() throws IOException {
        snapshot = new Snapshot(new Buffer[0], 0);
        channel.close();
    }
}
