package dev.captioner.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder operations the project needs in several places. */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes a folder and everything in it, deepest first; a missing folder is fine. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Puts a finished folder in the place of {@code target} by renames in the same parent folder: the old
     * {@code target} (if any) is moved aside, {@code replacement} moved in, the old one deleted last. A
     * crash leaves the old folder or the new one under {@code target} (or the old one aside), never a mix.
     */
    public static void replace(Path target, Path replacement) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".old.");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(replacement, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            delete(old);
        }
    }
}
