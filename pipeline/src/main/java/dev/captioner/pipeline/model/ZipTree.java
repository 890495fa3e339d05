package dev.captioner.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a folder: entries in name order with a fixed time, so the same package gives the same bytes.
 * Weights ({@code .safetensors}, {@code .pt}) are stored, since float data hardly compresses and a stored
 * entry reads at copy speed; JSON is deflated.
 */
final class ZipTree {
    /** 1980-01-01, the earliest time a zip entry can hold. */
    private static final long FIXED_TIME = 315_532_800_000L;

    private ZipTree() {}

    static void write(Path dir, OutputStream out) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.equals(dir)).sorted().collect(Collectors.toList());
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Path path : paths) {
            String name = dir.relativize(path).toString().replace('\\', '/');
            if (Files.isDirectory(path)) {
                ZipEntry entry = new ZipEntry(name + "/");
                entry.setTime(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.closeEntry();
                continue;
            }
            ZipEntry entry = new ZipEntry(name);
            entry.setTime(FIXED_TIME);
            if (name.endsWith(".safetensors") || name.endsWith(".pt")) {
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(Files.size(path));
                entry.setCrc(crc(path));
            }
            zip.putNextEntry(entry);
            Files.copy(path, zip);
            zip.closeEntry();
        }
        zip.finish(); // the caller closes the stream
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
