package dev.captioner.pipeline.model;

import dev.captioner.data.DataFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a package being read, whether it is a folder or a zip (read in place through the JDK's
 * zip file system, nothing extracted). Messages name files as the user knows them:
 * {@code models/m/vocab.json} in a folder, {@code models/m.zip!/vocab.json} in a zip.
 */
final class PackageFiles implements Closeable {
    private final Path source;
    private final Path root;
    private final FileSystem zip;

    private PackageFiles(Path source, Path root, FileSystem zip) {
        this.source = source;
        this.root = root;
        this.zip = zip;
    }

    /** Opens a package folder or zip file. */
    static PackageFiles open(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            return new PackageFiles(source, source, null);
        }
        if (!Files.isRegularFile(source)) {
            throw new DataFormatException(source, "no such model package (expected a folder or a .zip file)");
        }
        FileSystem zip;
        try {
            zip = FileSystems.newFileSystem(source, (ClassLoader) null);
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(source, "not a readable zip file (" + e.getMessage() + ")");
        }
        return new PackageFiles(source, zip.getPath("/"), zip);
    }

    /** The package as the user named it. */
    Path source() {
        return source;
    }

    /** The folder the package's files are relative to (the zip's root for a zip). */
    Path root() {
        return root;
    }

    boolean zipped() {
        return zip != null;
    }

    /** A file of the package by its relative name, e.g. {@code encoder/encoder.json}. */
    Path file(String name) {
        return root.resolve(name);
    }

    /** A file that must be there; a missing one is a one-line error naming the package. */
    Path require(String name) throws DataFormatException {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(source, "missing " + name + (name.equals(ModelPackage.CONFIG_FILE)
                    ? " (not a model package)" : " (an incomplete model package)"));
        }
        return file;
    }

    /** How messages name a file of the package. */
    Path display(String name) {
        return zipped() ? Path.of(source + "!/" + name) : source.resolve(name);
    }

    /** How messages name a path inside the package. */
    Path display(Path inside) {
        return display(root.relativize(inside).toString());
    }

    /** The same problem, with a path inside a zip named as {@link #display(String)} does. */
    DataFormatException renamed(DataFormatException e) {
        if (!zipped() || e.file() == null || e.file().getFileSystem() != zip) {
            return e;
        }
        StringBuilder prefix = new StringBuilder(String.valueOf(e.file()));
        if (e.line() > 0) {
            prefix.append(':').append(e.line());
            if (e.column() > 0) {
                prefix.append(':').append(e.column());
            }
        }
        prefix.append(": ");
        String message = e.getMessage();
        String problem = message.startsWith(prefix.toString()) ? message.substring(prefix.length()) : message;
        DataFormatException renamed = new DataFormatException(display(e.file()), e.line(), e.column(), problem);
        renamed.initCause(e);
        return renamed;
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
