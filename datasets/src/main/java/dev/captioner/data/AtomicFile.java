package dev.captioner.data;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file under a temporary name in the same folder and renames it into place, so a crash or a
 * full disk never leaves a half-written file where a good one stood.
 */
public final class AtomicFile {

    /** What writes the file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Writes the file and forces it to disk before the rename: for files that matter (models, caches, checkpoints). */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, true);
    }

    /**
     * Writes bulk files that can be made again (generated images) without forcing each to disk: still
     * never half-written under the target name after a crash of the process, but a power cut may lose it.
     */
    public static void writeUnsynced(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes), false);
    }

    private static void write(Path target, Content content, boolean sync) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        // Temporary files are made owner-only; the renamed file should be readable as any other file is.
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            try (FileOutputStream file = new FileOutputStream(tmp.toFile());
                    OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                content.writeTo(out);
                out.flush();
                // On disk before the rename, so a power cut leaves the old file or the whole new one.
                if (sync) {
                    file.getFD().sync();
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }
}
