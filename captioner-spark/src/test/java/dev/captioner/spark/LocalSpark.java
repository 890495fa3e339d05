package dev.captioner.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the module's tests: {@code local[2]}, two task slots in this JVM, as a small
 * executor runs them; no UI, few shuffle partitions, and small file partitions so that a few dozen images
 * make several partitions (and tasks) that must share one model. Started once for every test class, stopped
 * when the JVM ends.
 */
final class LocalSpark {
    /** The bundled model, from the repository (surefire runs in the module's folder). */
    static final Path MODEL = Path.of("..", "models", "synth-att-lstm").toAbsolutePath().normalize();

    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("captioner-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1") // on loopback only
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.files.maxPartitionBytes", "16m") // with 4 MB counted per file: about 4 images a partition
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
