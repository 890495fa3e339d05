package dev.captioner.spark;

import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoResult;
import dev.captioner.data.coco.CocoResults;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.Observation;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The batch job: captions every image under a path with a {@link CaptionTransformer} and writes the
 * captions as Parquet or JSON lines, optionally a COCO results file that {@code captioner score} reads, and
 * the images' features with a {@link FeatureTransformer}:
 * <pre>
 * spark-submit --class dev.captioner.spark.CaptionJob captioner-spark.jar --images DIR --model PKG --out OUT
 * </pre>
 * Each image is captioned once: the written output is read back for the summary, the failures and the COCO
 * file. Mistakes a user can make (a missing path, a bad flag, a package that does not load) end the job with
 * one line and exit code 2 (the command line) or 1 (the data); {@code --verbose} adds the stack trace.
 */
@Command(name = "captioner-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Caption every image under a path on Spark, writing Parquet or JSON lines (and a COCO results file).",
                "Rows whose image cannot be decoded carry their one-line error; the job goes on and counts them."})
public final class CaptionJob implements Callable<Integer> {
    static final int OK = 0;
    static final int DATA_ERROR = 1;
    static final int USAGE = 2;

    /** The file endings the command line's {@code caption} takes, in either case. */
    static final String IMAGE_GLOB = "*.{jpg,jpeg,png,bmp,webp,JPG,JPEG,PNG,BMP,WEBP}";

    enum Format { parquet, jsonl }

    @Option(names = "--images", required = true, paramLabel = "PATH", description = "A folder (read recursively) or file of images; any path Spark reads.")
    String images;

    @Option(names = "--model", required = true, paramLabel = "PKG",
            description = "The model package (folder or zip): a path every executor sees, or a zip given with spark-submit --files.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Where the captions go: a folder of part files.")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT", description = "parquet or jsonl (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--coco-results", paramLabel = "FILE",
            description = "Also write a COCO results file on the driver ([{image_id, caption}]; the id is the number that ends the file name).")
    Path cocoResults;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "3", description = "Beam size; 1 is greedy search (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "1", description = "Captions per image, best first, at most K (default: ${DEFAULT-VALUE}).")
    int nBest;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "20", description = "The most words a caption gets (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Images encoded and searched together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--model-copies", paramLabel = "N", defaultValue = "1",
            description = "Copies of the model each executor loads: 1, its tasks take turns on one model; up to its cores, they run at once (default: ${DEFAULT-VALUE}).")
    int modelCopies;

    @Option(names = "--glob", paramLabel = "GLOB", defaultValue = IMAGE_GLOB, description = "Which file names are images (default: ${DEFAULT-VALUE}).")
    String glob;

    @Option(names = "--features", paramLabel = "PATH", description = "Also write each image's pooled feature vector as Parquet here.")
    String features;

    @Option(names = "--grid", description = "With --features: the grid of features (L x D) as well as the pooled vector.")
    boolean grid;

    @Option(names = "--overwrite", description = "Replace --out (and --features) where they exist.")
    boolean overwrite;

    @Option(names = "--verbose", description = "On an error, print the stack trace as well as the one-line message.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Supplier<SparkSession> session;
    private PrintWriter stdout;
    private PrintWriter stderr;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        SparkSession[] started = new SparkSession[1];
        int code = run(() -> started[0] = newSession(), out, err, args);
        if (started[0] != null) {
            started[0].stop();
        }
        System.exit(code);
    }

    /**
     * Runs the job with the session {@code session} gives (asked for only once the command line is good), printing
     * to {@code out} and {@code err}; returns the exit code.
     */
    public static int run(Supplier<SparkSession> session, PrintWriter out, PrintWriter err, String... args) {
        CaptionJob job = new CaptionJob();
        job.session = session;
        job.stdout = out;
        job.stderr = err;
        CommandLine cli = new CommandLine(job);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, given) -> {
            err.println("captioner-spark: " + JobErrors.oneLine(e.getMessage()) + " (see --help)");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            err.println("captioner-spark: " + JobErrors.describe(e));
            if (job.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof CommandLine.ParameterException ? USAGE : DATA_ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A session from spark-submit's settings; run with plain {@code java}, a local one on every core. */
    private static SparkSession newSession() {
        SparkSession.Builder builder = SparkSession.builder().appName("captioner-spark");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }

    @Override
    public Integer call() throws IOException {
        if (features == null && grid) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--grid goes with --features");
        }
        CaptionTransformer captions = new CaptionTransformer().setBeamSize(beam).setNBest(nBest).setMaxLength(maxLength);
        try {
            captions.searchOptions();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // The package on a path this machine sees is loaded while Spark starts (each takes about a second); a package
        // that does not load fails in one line before any task starts, and in local mode the executors find it loaded.
        CompletableFuture<Void> preload = Files.exists(Path.of(model)) ? preload(ModelLocation.resolve(model)) : null;
        SparkSession spark = session.get();
        checkPaths(spark);
        configure(captions);
        if (preload != null) {
            awaitPreload(preload);
        } else {
            awaitPreload(preload(ModelLocation.resolve(model))); // among the files given to Spark: only now can SparkFiles find it
        }

        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").option("pathGlobFilter", glob)
                .load(images);
        if (files.inputFiles().length == 0) { // the listing's own result: no Spark job
            throw new DataFormatException(Path.of(images), "no image files here (names matching " + glob + ")");
        }
        long start = System.nanoTime();
        List<Column> kept = new ArrayList<>(List.of(functions.col("path"), functions.col("caption"), functions.col("log_prob")));
        if (nBest > 1) {
            kept.add(functions.col("captions"));
        }
        kept.add(functions.col("error"));
        // The rows and the failures are counted as the rows are written, not by reading the output back.
        Observation counted = new Observation("captioned");
        Dataset<Row> captioned = captions.transform(files).select(kept.toArray(new Column[0]))
                .observe(counted, functions.count(functions.lit(1)).as("rows"), functions.count(functions.col("error")).as("failed"));
        captioned.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(sparkFormat()).save(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> counts = observed(counted);
        long total = ((Number) counts.get("rows")).longValue();
        long failedRows = ((Number) counts.get("failed")).longValue();
        stdout.printf(Locale.ROOT, "captioned %d images (%d failed) in %.1f s (%.1f images/s) with %s: %s%n", total - failedRows,
                failedRows, seconds, total / Math.max(seconds, 1e-9), model, out);
        if (failedRows > 0 || cocoResults != null) {
            Dataset<Row> written = spark.read().format(sparkFormat()).schema(captioned.schema()).load(out);
            if (failedRows > 0) {
                reportFailures(written.filter(functions.col("error").isNotNull()).select("error").sort("error").collectAsList());
            }
            if (cocoResults != null) {
                writeCocoResults(written);
            }
        }
        if (features != null) {
            writeFeatures(files);
        }
        return failedRows == total ? DATA_ERROR : OK;
    }

    /** Loads the package into this JVM's captioners on a thread of its own. */
    private CompletableFuture<Void> preload(Path pkg) {
        ExecutorCaptioners.Key key = new ExecutorCaptioners.Key(pkg, batch, modelCopies);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                ExecutorCaptioners.with(key, captioner -> null);
                done.complete(null);
            } catch (IOException | RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, "captioner-preload");
        loader.setDaemon(true);
        loader.start();
        return done;
    }

    /** Waits for the package to load, failing as loading it here would have. */
    private static void awaitPreload(CompletableFuture<Void> preload) throws IOException {
        try {
            preload.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** The metrics the write observed; Spark posts them once the write's job has ended. */
    private static Map<String, Object> observed(Observation observation) {
        try {
            return observation.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting the written rows", e);
        }
    }

    private void configure(ImageModelTransformer<?> transformer) {
        transformer.setModelPath(modelForExecutors()).setBatchSize(batch).setModelCopies(modelCopies);
    }

    /**
     * The package as the executors should name it: a path the driver sees, made absolute (an executor's working
     * folder is not the driver's); else the name as given, for the executors to find among Spark's files.
     */
    private String modelForExecutors() {
        Path given = Path.of(model);
        return Files.exists(given) ? given.toAbsolutePath().normalize().toString() : model;
    }

    private String sparkFormat() {
        return format == Format.jsonl ? "json" : "parquet";
    }

    /** The images must be there, and the outputs not yet (unless --overwrite), before anything is computed. */
    private void checkPaths(SparkSession spark) throws IOException {
        if (!exists(spark, images)) {
            throw new DataFormatException(Path.of(images), "no such file or folder");
        }
        for (String target : features == null ? List.of(out) : List.of(out, features)) {
            if (!overwrite && exists(spark, target)) {
                throw new DataFormatException(Path.of(target), "already exists; name another or add --overwrite");
            }
        }
    }

    private static boolean exists(SparkSession spark, String path) throws IOException {
        org.apache.hadoop.fs.Path hadoop = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = hadoop.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return fs.exists(hadoop);
    }

    private void reportFailures(List<Row> failed) {
        int shown = Math.min(failed.size(), 20);
        for (int i = 0; i < shown; i++) {
            stderr.println("error: " + failed.get(i).getString(0));
        }
        if (failed.size() > shown) {
            stderr.printf("... and %d more; every row's error is in the error column of %s%n", failed.size() - shown, out);
        }
    }

    /** One result per captioned image, by the id its file name ends in, sorted by id. */
    private void writeCocoResults(Dataset<Row> written) throws IOException {
        List<CocoResult> results = new ArrayList<>();
        for (Row row : written.filter(functions.col("error").isNull()).select("path", "caption").collectAsList()) {
            long id = CocoImageIds.of(row.getString(0));
            if (id < 0) {
                throw new DataFormatException(cocoResults, "image " + row.getString(0)
                        + " has no COCO id: its file name must end in the id, as synth-scenes' 009006.jpg (image 9006)");
            }
            results.add(new CocoResult(id, row.getString(1)));
        }
        results.sort(Comparator.comparingLong(CocoResult::imageId));
        CocoResults.write(cocoResults, results);
        stdout.printf("COCO results of %d images: %s%n", results.size(), cocoResults);
    }

    private void writeFeatures(Dataset<Row> files) {
        FeatureTransformer extraction = new FeatureTransformer().setWithGrid(grid);
        configure(extraction);
        List<Column> kept = new ArrayList<>(List.of(functions.col("path"), functions.col("pooled")));
        if (grid) {
            kept.add(functions.col("grid"));
        }
        kept.add(functions.col("error"));
        long start = System.nanoTime();
        extraction.transform(files).select(kept.toArray(new Column[0]))
                .write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(features);
        stdout.printf(Locale.ROOT, "features in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, features);
    }
}
