package dev.captioner.encoder.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Encoder features on disk, one fixed-size record per image: the grid (L, D) and the pooled vector (D),
 * written once and read many times without the CNN and without holding the features on the heap.
 *
 * <h2>Files</h2>
 * A cache is a folder:
 * <ul>
 *   <li>{@code cache.json}: format and version, the {@link CacheLayout} (grid H'×W' = L, channels D,
 *       dtype, encoder spec), the record size in bytes, and the number of committed records N. Written
 *       atomically; see {@link CacheManifest}.
 *   <li>{@code features.bin}: record i at byte i·recordBytes: the grid, L·D values row by row, then the
 *       pooled vector, D values; little-endian float32, or IEEE float16 ({@link HalfFloat}). No header.
 *   <li>{@code index.bin}: the image id of record i, a little-endian 64-bit integer at byte 8·i.
 * </ul>
 * Only the first N records and the first N ids count. Either file may be longer (records written after
 * the last commit); the tail is ignored when reading and cut off when writing resumes.
 *
 * <h2>Crash safety</h2>
 * Committed records are never written again: {@link #put} writes only at slots N and above. {@link
 * #commit} makes the new records durable in order: (1) {@code features.bin} is forced to disk, (2) their
 * ids are written to {@code index.bin} at slots N.. and forced, (3) {@code cache.json} is replaced, by
 * an atomic rename, with one that says N' records. Step 3 is the only one that makes records count,
 * and it happens after everything they consist of is on disk; the rename leaves either the old or the
 * new {@code cache.json}, never a mix. So a process killed at any moment leaves a cache whose first N
 * records are whole and correct, N being the last completed commit; what it wrote after that is
 * ignored, and written again on resume. {@link #open} checks that both files hold at least N records
 * and refuses a cache that does not (a file cut short or replaced) with a one-line message.
 *
 * <p>That needs nothing from the OS when the process dies: the page cache keeps what was written. On a
 * power loss it also needs the new {@code cache.json}'s bytes on disk before its rename is: commit
 * forces the file and the folder after the rename, but {@code AtomicFile} does not force the
 * temporary file before it, so that ordering is the file system's (ext4 gives it for a file replaced
 * by rename). Records carry no checksums: bit rot inside a record is not detected.
 *
 * <h2>Threads</h2>
 * Writes ({@code put*}, {@link #commit}, {@link #close}) are serialized on the cache object; meant for
 * one writing thread. Only one cache object, in one process, may write a folder: it takes a file lock on
 * {@code features.bin} at its first put, and a second writer fails then with a clear message.
 * Reads ({@link #contains}, {@code read*}, {@link #batch}) may come from any number of threads at once,
 * also while the writer writes, and see every record put so far. A cache opened only to read takes no
 * lock, and does not see records that another process commits after {@link #open}.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (FeatureCache cache = FeatureCache.create(dir, layout)) {   // or resumes a cache of that layout
 *     for (List<Long> ids : batchesOfImageIds) {
 *         List<Long> todo = ids.stream().filter(id -> !cache.contains(id)).toList();
 *         try (EncodedImages f = encoder.encode(pixelsOf(todo))) {
 *             cache.putAll(todo, f.grid(), f.pooled());            // (B, L, D) and (B, D)
 *         }
 *     }
 * }                                                                // close() commits
 * try (FeatureCache cache = FeatureCache.open(dir); NDManager m = NDManager.newBaseManager()) {
 *     NDList features = cache.batch(m, ids);                       // (B, L, D) and (B, D) float32
 * }
 * }</pre>
 */
public final class FeatureCache implements AutoCloseable {
    /** Records between automatic commits, unless told otherwise. */
    public static final int DEFAULT_COMMIT_EVERY = 256;

    static final String FEATURES_FILE = "features.bin";
    static final String INDEX_FILE = "index.bin";

    private final Path dir;
    private final CacheLayout layout;
    private final int commitEvery;
    private final SlotIndex slots;
    private final ReadWriteLock slotLock = new ReentrantReadWriteLock();
    private final MappedRecords mapped;

    // The writer's state; guarded by this object's monitor.
    private int committed;
    private FileChannel featuresOut; // holds the write lock until closed
    private FileChannel indexOut;
    private ByteBuffer recordBuffer;
    private volatile boolean closed;

    private FeatureCache(Path dir, CacheLayout layout, int commitEvery, SlotIndex slots, MappedRecords mapped) {
        this.dir = dir;
        this.layout = layout;
        this.commitEvery = commitEvery;
        this.slots = slots;
        this.committed = slots.size();
        this.mapped = mapped;
    }

    /** {@link #create(Path, CacheLayout, int)} with commits every {@value #DEFAULT_COMMIT_EVERY} records. */
    public static FeatureCache create(Path dir, CacheLayout layout) throws IOException {
        return create(dir, layout, DEFAULT_COMMIT_EVERY);
    }

    /**
     * Makes a new, empty cache in {@code dir}, or opens the cache there to resume it if it has the same
     * layout. A cache of another layout (encoder spec, grid, channels or dtype) is refused with a
     * {@link DataFormatException} that names the differences, as are cache files without a
     * {@code cache.json}.
     *
     * @param commitEvery records between automatic commits
     */
    public static FeatureCache create(Path dir, CacheLayout layout, int commitEvery) throws IOException {
        Path manifestFile = dir.resolve(CacheManifest.FILE);
        if (Files.exists(manifestFile)) {
            CacheLayout existing = CacheManifest.read(manifestFile).layout();
            if (!existing.equals(layout)) {
                throw new DataFormatException(manifestFile, "holds a cache of another layout ("
                        + existing.differences(layout, "there", "asked for")
                        + "); use another folder, or delete this one to start again");
            }
            return open(dir, commitEvery);
        }
        Files.createDirectories(dir);
        for (String name : List.of(FEATURES_FILE, INDEX_FILE)) {
            Path file = dir.resolve(name);
            if (Files.exists(file) && Files.size(file) > 0) {
                throw new DataFormatException(file, "cache data without a " + CacheManifest.FILE
                        + "; delete the folder's cache files, or use another folder");
            }
            Files.write(file, new byte[0]);
        }
        publish(dir, new CacheManifest(layout, 0));
        return open(dir, commitEvery);
    }

    /** {@link #open(Path, int)} with commits every {@value #DEFAULT_COMMIT_EVERY} records. */
    public static FeatureCache open(Path dir) throws IOException {
        return open(dir, DEFAULT_COMMIT_EVERY);
    }

    /**
     * Opens an existing cache to read it, or to resume writing it: its committed records are there,
     * anything written after the last commit is not. Nothing is changed on disk until the first
     * {@link #put}. A cache.json that is malformed, of an unknown format version, or inconsistent, or
     * data files shorter than the committed records, are refused with a one-line
     * {@link DataFormatException}.
     */
    public static FeatureCache open(Path dir, int commitEvery) throws IOException {
        return open(dir, commitEvery, MappedRecords.DEFAULT_CHUNK_BYTES);
    }

    static FeatureCache open(Path dir, int commitEvery, long chunkBytes) throws IOException {
        if (commitEvery < 1) {
            throw new IllegalArgumentException("commitEvery must be at least 1, got " + commitEvery);
        }
        CacheManifest manifest = CacheManifest.read(dir.resolve(CacheManifest.FILE));
        CacheLayout layout = manifest.layout();
        int records = manifest.records();
        Path featuresFile = dir.resolve(FEATURES_FILE);
        Path indexFile = dir.resolve(INDEX_FILE);
        requireLength(featuresFile, records, layout.recordBytes(), "records of " + layout.recordBytes() + " bytes");
        requireLength(indexFile, records, Long.BYTES, "image ids of 8 bytes");
        SlotIndex slots = readIndex(indexFile, records);
        MappedRecords mapped = new MappedRecords(featuresFile, layout, chunkBytes);
        try {
            mapped.cover(records);
        } catch (IOException | RuntimeException e) {
            mapped.close();
            throw e;
        }
        return new FeatureCache(dir, layout, commitEvery, slots, mapped);
    }

    public Path directory() {
        return dir;
    }

    /** Whether {@code dir} holds a feature cache (its manifest): the one place that knows the manifest's name. */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(CacheManifest.FILE));
    }

    public CacheLayout layout() {
        return layout;
    }

    /** Records put, committed or not. */
    public int size() {
        slotLock.readLock().lock();
        try {
            return slots.size();
        } finally {
            slotLock.readLock().unlock();
        }
    }

    /** Records committed: those that survive a crash now. */
    public synchronized int committedSize() {
        return committed;
    }

    /** Whether the image's features are here (put by this object, or committed before it was opened). */
    public boolean contains(long imageId) {
        return slotOf(imageId) >= 0;
    }

    /** The image ids in record order. */
    public long[] imageIds() {
        slotLock.readLock().lock();
        try {
            return slots.toArray();
        } finally {
            slotLock.readLock().unlock();
        }
    }

    /**
     * Adds one image: {@code grid} holds L·D values, location by location ((L, D) row-major), and
     * {@code pooled} D values. Float16 storage rounds them to the nearest half (magnitudes of 65520
     * and above become infinite). Commits after every {@code commitEvery} records.
     *
     * @throws IllegalArgumentException if the image is already in the cache (an image is written once;
     *     check with {@link #contains}), or the arrays have the wrong lengths
     */
    public synchronized void put(long imageId, float[] grid, float[] pooled) throws IOException {
        requireLength(grid, layout.gridValues(), "grid");
        requireLength(pooled, layout.channels(), "pooled");
        requireAbsent(imageId);
        write(imageId, grid, 0, pooled, 0);
    }

    /** {@link #put(long, float[], float[])} from DJL arrays: {@code grid} (L, D) and {@code pooled} (D), float32. */
    public synchronized void put(long imageId, NDArray grid, NDArray pooled) throws IOException {
        requireShape(grid, "grid", new Shape(layout.locations(), layout.channels()));
        requireShape(pooled, "pooled", new Shape(layout.channels()));
        requireAbsent(imageId);
        write(imageId, grid.toFloatArray(), 0, pooled.toFloatArray(), 0);
    }

    /**
     * Adds a batch: {@code grid} (B, L, D) and {@code pooled} (B, D), float32, row b for {@code ids.get(b)},
     * with one copy off the device each. Nothing is written unless all ids are new and distinct.
     */
    public synchronized void putAll(List<Long> ids, NDArray grid, NDArray pooled) throws IOException {
        int b = ids.size();
        requireShape(grid, "grid", new Shape(b, layout.locations(), layout.channels()));
        requireShape(pooled, "pooled", new Shape(b, layout.channels()));
        Set<Long> seen = new HashSet<>();
        for (long id : ids) {
            requireAbsent(id);
            if (!seen.add(id)) {
                throw new IllegalArgumentException("image " + id + " appears twice in the batch");
            }
        }
        float[] grids = grid.toFloatArray(); // (B, L, D)
        float[] pooleds = pooled.toFloatArray(); // (B, D)
        for (int i = 0; i < b; i++) {
            write(ids.get(i), grids, i * layout.gridValues(), pooleds, i * layout.channels());
        }
    }

    /**
     * Makes every record put so far durable and counted (see the class comment for the order of the
     * steps). Does nothing when there is nothing new.
     */
    public synchronized void commit() throws IOException {
        requireOpen();
        int total = size();
        if (total == committed) {
            return;
        }
        flushUncounted();
        publish(dir, new CacheManifest(layout, total));
        committed = total;
    }

    /** Steps 1 and 2 of a commit: records and ids on disk, not yet counted. Separate for tests. */
    synchronized void flushUncounted() throws IOException {
        int total = size();
        featuresOut.force(false);
        ByteBuffer ids = ByteBuffer.allocate((total - committed) * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        slotLock.readLock().lock();
        try {
            for (int slot = committed; slot < total; slot++) {
                ids.putLong(slots.idAt(slot));
            }
        } finally {
            slotLock.readLock().unlock();
        }
        ids.flip();
        writeFully(indexOut, ids, (long) committed * Long.BYTES);
        indexOut.force(false);
    }

    /** Reads an image's grid, L·D values, into {@code into} from index 0. */
    public void readGrid(long imageId, float[] into) throws IOException {
        readGrid(imageId, into, 0);
    }

    /** Reads an image's grid, L·D values, into {@code into} from {@code offset}. */
    public void readGrid(long imageId, float[] into, int offset) throws IOException {
        mapped.read(requireSlot(imageId), 0, into, offset, layout.gridValues());
    }

    /** Reads an image's grid, L·D values, into {@code into} at its position, which moves on. */
    public void readGrid(long imageId, FloatBuffer into) throws IOException {
        mapped.read(requireSlot(imageId), 0, into, layout.gridValues());
    }

    /** Reads an image's pooled vector, D values, into {@code into} from index 0. */
    public void readPooled(long imageId, float[] into) throws IOException {
        readPooled(imageId, into, 0);
    }

    /** Reads an image's pooled vector, D values, into {@code into} from {@code offset}. */
    public void readPooled(long imageId, float[] into, int offset) throws IOException {
        mapped.read(requireSlot(imageId), layout.gridValues(), into, offset, layout.channels());
    }

    /** Reads an image's pooled vector, D values, into {@code into} at its position, which moves on. */
    public void readPooled(long imageId, FloatBuffer into) throws IOException {
        mapped.read(requireSlot(imageId), layout.gridValues(), into, layout.channels());
    }

    /**
     * The features of a batch of images as float32 arrays in {@code manager}: the grids (B, L, D) and the
     * pooled vectors (B, D), in the order of {@code ids}. Each is decoded straight from the mapped file
     * into one direct buffer, off the heap, which the engine takes over as it is (one copy per value in
     * all; no per-element NDArray calls). The caller closes the arrays, or their manager.
     *
     * @throws IllegalArgumentException if an image is not in the cache
     */
    public NDList batch(NDManager manager, List<Long> ids) throws IOException {
        int b = ids.size();
        int gridValues = layout.gridValues();
        int channels = layout.channels();
        if ((long) b * gridValues * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + b + " grids of " + gridValues + " values is too large for one array");
        }
        int[] batchSlots = new int[b];
        for (int i = 0; i < b; i++) {
            batchSlots[i] = requireSlot(ids.get(i));
        }
        ByteBuffer grids = ByteBuffer.allocateDirect(b * gridValues * Float.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer pooled = ByteBuffer.allocateDirect(b * channels * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer gridValuesOut = grids.asFloatBuffer();
        FloatBuffer pooledValuesOut = pooled.asFloatBuffer();
        for (int slot : batchSlots) {
            mapped.read(slot, 0, gridValuesOut, gridValues);
            mapped.read(slot, gridValues, pooledValuesOut, channels);
        }
        NDArray gridArray = manager.create(grids, new Shape(b, layout.locations(), channels), DataType.FLOAT32); // (B, L, D)
        NDArray pooledArray = manager.create(pooled, new Shape(b, channels), DataType.FLOAT32); // (B, D)
        return new NDList(gridArray, pooledArray);
    }

    /** Commits what was put, then releases the files. Closing twice does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (featuresOut != null) {
                commit();
            }
        } finally {
            closeChannels();
        }
    }

    /**
     * Releases the files without committing, as if the process were killed: what was put after the
     * last commit is lost. For tests of crash safety.
     */
    synchronized void abandon() throws IOException {
        if (!closed) {
            closeChannels();
        }
    }

    @Override
    public String toString() {
        return "FeatureCache[" + dir + ", " + layout + ", " + size() + " records]";
    }

    // ---- writing

    private void write(long imageId, float[] grid, int gridOffset, float[] pooled, int pooledOffset) throws IOException {
        requireOpen();
        openWriter();
        int slot = slots.size(); // only this thread adds slots
        ByteBuffer record = recordBuffer.clear();
        layout.storage().encode(grid, gridOffset, layout.gridValues(), record);
        layout.storage().encode(pooled, pooledOffset, layout.channels(), record);
        record.flip();
        writeFully(featuresOut, record, (long) slot * layout.recordBytes());
        slotLock.writeLock().lock();
        try {
            slots.add(imageId);
        } finally {
            slotLock.writeLock().unlock();
        }
        if (slot + 1 - committed >= commitEvery) {
            commit();
        }
    }

    /**
     * At the first put: locks {@code features.bin} against other writers, checks that no other writer
     * committed since {@link #open}, and cuts both files back to the committed records, so the
     * leftovers of an interrupted run go.
     */
    private void openWriter() throws IOException {
        if (featuresOut != null) {
            return;
        }
        Path featuresFile = dir.resolve(FEATURES_FILE);
        FileChannel features = FileChannel.open(featuresFile, StandardOpenOption.WRITE);
        FileChannel index = null;
        try {
            FileLock lock;
            try {
                lock = features.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(dir + ": the cache is open for writing elsewhere (another FeatureCache or process)");
            }
            CacheManifest now = CacheManifest.read(dir.resolve(CacheManifest.FILE));
            if (now.records() != committed || !now.layout().equals(layout)) {
                throw new IOException(dir + ": the cache changed since it was opened (" + committed + " records then, "
                        + now.records() + " now); open it again");
            }
            index = FileChannel.open(dir.resolve(INDEX_FILE), StandardOpenOption.WRITE);
            features.truncate((long) committed * layout.recordBytes());
            index.truncate((long) committed * Long.BYTES);
            recordBuffer = ByteBuffer.allocateDirect(layout.recordBytes()).order(ByteOrder.LITTLE_ENDIAN);
            featuresOut = features;
            indexOut = index;
        } finally {
            if (featuresOut == null) {
                features.close(); // releases the lock too
                if (index != null) {
                    index.close();
                }
            }
        }
    }

    /** Replaces cache.json atomically, then forces it and the folder to disk. */
    private static void publish(Path dir, CacheManifest manifest) throws IOException {
        Path file = dir.resolve(CacheManifest.FILE);
        manifest.write(file);
        try (FileChannel written = FileChannel.open(file, StandardOpenOption.READ)) {
            written.force(true);
        }
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true); // makes the rename durable; Linux allows this, some systems do not
        } catch (IOException e) {
            // best effort: the rename is still atomic, only its durability on power loss is the OS's
        }
    }

    private void closeChannels() throws IOException {
        closed = true;
        try {
            mapped.close();
        } finally {
            try {
                if (indexOut != null) {
                    indexOut.close();
                }
            } finally {
                if (featuresOut != null) {
                    featuresOut.close();
                }
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    // ---- checks

    private int slotOf(long imageId) {
        slotLock.readLock().lock();
        try {
            return slots.slotOf(imageId);
        } finally {
            slotLock.readLock().unlock();
        }
    }

    private int requireSlot(long imageId) {
        requireOpen();
        int slot = slotOf(imageId);
        if (slot < 0) {
            throw new IllegalArgumentException("image " + imageId + " is not in the feature cache " + dir);
        }
        return slot;
    }

    private void requireAbsent(long imageId) {
        requireOpen();
        if (slotOf(imageId) >= 0) {
            throw new IllegalArgumentException("image " + imageId + " is already in the feature cache " + dir
                    + "; features are written once (check contains() first)");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the feature cache " + dir + " is closed");
        }
    }

    private static void requireLength(float[] values, int length, String what) {
        if (values.length != length) {
            throw new IllegalArgumentException(what + " must hold " + length + " values, got " + values.length);
        }
    }

    private void requireShape(NDArray array, String what, Shape shape) {
        if (!array.getShape().equals(shape)) {
            throw new IllegalArgumentException(what + " must be " + shape + " for a cache of " + layout + ", got "
                    + array.getShape());
        }
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(what + " must be float32, got " + array.getDataType());
        }
    }

    private static void requireLength(Path file, long count, int bytesEach, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFormatException(file, "missing: the cache's " + CacheManifest.FILE + " is there but this file is not");
        }
        long size = Files.size(file);
        long needed = count * bytesEach;
        if (size < needed) {
            throw new DataFormatException(file, "holds " + size + " bytes, but " + CacheManifest.FILE + " commits "
                    + count + " " + what + " (" + needed + " bytes): the file was cut short or replaced");
        }
    }

    private static SlotIndex readIndex(Path file, int records) throws IOException {
        SlotIndex slots = new SlotIndex(records);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            long end = (long) records * Long.BYTES;
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                while (buffer.hasRemaining()) {
                    int n = in.read(buffer, position + buffer.position());
                    if (n < 0) {
                        throw new DataFormatException(file, "ends early, at byte " + (position + buffer.position()));
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    long id = buffer.getLong();
                    int earlier = slots.slotOf(id);
                    if (earlier >= 0) {
                        throw new DataFormatException(file, "image id " + id + " is in records " + earlier + " and "
                                + slots.size() + ": the index is corrupt");
                    }
                    slots.add(id);
                }
                position += buffer.limit();
            }
        }
        return slots;
    }
}
