package dev.captioner.pipeline.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Damages one file of a package, folder or zip, the way a user or a bad copy might. */
final class PackageEdits {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PackageEdits() {}

    /** Replaces a file's bytes. */
    static void edit(Path pkg, String name, UnaryOperator<byte[]> change) throws IOException {
        if (Files.isDirectory(pkg)) {
            Files.write(pkg.resolve(name), change.apply(Files.readAllBytes(pkg.resolve(name))));
            return;
        }
        try (FileSystem zip = FileSystems.newFileSystem(pkg, (ClassLoader) null)) {
            Path file = zip.getPath(name);
            Files.write(file, change.apply(Files.readAllBytes(file)));
        }
    }

    /** Changes config.json as a JSON tree. */
    static void editConfig(Path pkg, Consumer<ObjectNode> change) throws IOException {
        edit(pkg, ModelPackage.CONFIG_FILE, bytes -> {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(bytes);
                change.accept(root);
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static void delete(Path pkg, String name) throws IOException {
        if (Files.isDirectory(pkg)) {
            Files.delete(pkg.resolve(name));
            return;
        }
        try (FileSystem zip = FileSystems.newFileSystem(pkg, (ClassLoader) null)) {
            Files.delete(zip.getPath(name));
        }
    }
}
