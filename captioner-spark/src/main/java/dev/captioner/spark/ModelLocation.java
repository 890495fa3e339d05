package dev.captioner.spark;

import dev.captioner.data.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where a JVM of the job finds the model package: at the path given, when every machine sees it there (a
 * shared file system, or local mode); else among the files Spark handed out with {@code --files PKG.zip}
 * (or {@code SparkContext.addFile}), by the file's name. A zip package is read in place, so one file is
 * all an executor needs.
 */
final class ModelLocation {
    private ModelLocation() {}

    /**
     * The package as this JVM reads it.
     *
     * @throws DataFormatException with one line where neither place holds it
     */
    static Path resolve(String model) throws DataFormatException {
        Path given = Path.of(model);
        if (Files.exists(given)) {
            return given.toAbsolutePath().normalize();
        }
        Path fileName = given.getFileName();
        if (fileName != null && sparkFilesRoot() != null) {
            Path shipped = Path.of(SparkFiles.get(fileName.toString()));
            if (Files.exists(shipped)) {
                return shipped;
            }
        }
        throw new DataFormatException(given, "no model package here (neither a path on this machine nor a file given to Spark with --files)");
    }

    /** SparkFiles' folder, or null outside a running Spark application. */
    private static String sparkFilesRoot() {
        try {
            return SparkFiles.getRootDirectory();
        } catch (RuntimeException noSparkContext) {
            return null;
        }
    }
}
