package dev.captioner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformer on a real local Spark, the bundled model and real files, against the library's own captions. */
class CaptionTransformerTest {
    private static final int BEAM = 3;

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static TestImages images;
    /** What the library gives each good image, captioned alone: file name to its n-best (K = 3, all three). */
    private static Map<String, List<Caption>> expected;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        images = TestImages.write(tmp.resolve("data"));
        expected = new HashMap<>();
        Captioner.Options options = Captioner.Options.builder().optBeamSize(BEAM).optNBest(BEAM).build();
        try (Captioner captioner = Captioner.load(List.of(LocalSpark.MODEL), options)) {
            for (Path image : images.good()) {
                CaptionResult result = captioner.caption(image);
                expected.put(image.getFileName().toString(), result.captions());
            }
        }
    }

    private static Dataset<Row> imageFiles() {
        return spark.read().format("binaryFile").load(images.imageDir().toString());
    }

    private static CaptionTransformer transformer() {
        return new CaptionTransformer().setBeamSize(BEAM).setModelPath(LocalSpark.MODEL.toString()).setBatchSize(8);
    }

    private static String fileName(Row row) {
        String path = row.getAs("path");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Test
    void everyGoodImageGetsTheLibrarysCaptionAndEveryBadFileItsError() {
        Dataset<Row> files = imageFiles();
        assertTrue(files.rdd().getNumPartitions() >= 3, "several partitions share the model: " + files.rdd().getNumPartitions());
        List<Row> rows = transformer().transform(files).select("path", "caption", "log_prob", "error").collectAsList();
        // Spark's file sources skip empty files before any task reads them: empty.jpg never becomes a row.
        assertEquals(images.good().size() + images.bad().size() - 1, rows.size());
        assertTrue(rows.stream().noneMatch(row -> fileName(row).equals("empty.jpg")));
        int good = 0;
        for (Row row : rows) {
            String name = fileName(row);
            List<Caption> library = expected.get(name);
            if (library != null) {
                good++;
                assertNull(row.getAs("error"), name);
                assertEquals(library.get(0).text(), row.getAs("caption"), name);
                assertEquals(library.get(0).logProb(), (double) row.getAs("log_prob"), 1e-4, name);
            } else {
                String error = row.getAs("error");
                assertNotNull(error, name + " is not an image but got no error");
                assertTrue(error.contains(name) && !error.contains("\n"), "one line naming the file: " + error);
                assertNull(row.getAs("caption"), name);
                assertNull(row.getAs("log_prob"), name);
            }
        }
        assertEquals(images.good().size(), good);
    }

    @Test
    void rowsWithEmptyOrNoBytesGetTheirErrorsToo() {
        StructType schema = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        List<Row> made = List.of(RowFactory.create("upload-1", new byte[0]), RowFactory.create("upload-2", null),
                RowFactory.create("upload-3", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}));
        List<Row> rows = transformer().transform(spark.createDataFrame(made, schema)).select("path", "caption", "error").collectAsList();
        assertEquals(3, rows.size());
        for (Row row : rows) {
            String error = row.getAs("error");
            assertNotNull(error, row.toString());
            assertTrue(error.startsWith(row.getAs("path") + ": "), error);
            assertNull(row.getAs("caption"));
        }
    }

    @Test
    void theNBestListIsTheLibrarys() {
        CaptionTransformer nBest = transformer().setNBest(BEAM);
        List<Row> rows = nBest.transform(imageFiles()).filter("error is null").select("path", "captions").collectAsList();
        assertEquals(images.good().size(), rows.size());
        for (Row row : rows) {
            List<Caption> library = expected.get(fileName(row));
            List<Row> captions = row.getList(1);
            assertEquals(library.size(), captions.size(), fileName(row));
            for (int i = 0; i < library.size(); i++) {
                assertEquals(library.get(i).text(), captions.get(i).getString(0), fileName(row) + " #" + i);
                assertEquals(library.get(i).logProb(), captions.get(i).getDouble(1), 1e-4, fileName(row) + " #" + i);
            }
        }
    }

    @Test
    void theModelIsLoadedOncePerExecutorJvm() throws IOException {
        CaptionTransformer captions = transformer();
        captions.transform(imageFiles()).select("caption").collectAsList(); // every partition, twice over
        captions.transform(imageFiles()).select("caption").collectAsList();
        ExecutorCaptioners.Key key = new ExecutorCaptioners.Key(ModelLocation.resolve(LocalSpark.MODEL.toString()), 8, 1);
        assertEquals(1, ExecutorCaptioners.loads(key), "local mode has one executor JVM, so one load for all tasks");
    }

    @Test
    void aPipelineHoldingTheTransformerSavesAndLoads() throws IOException {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {transformer().setNBest(2).setCaptionCol("text")});
        PipelineModel fitted = pipeline.fit(imageFiles());
        Path saved = tmp.resolve("pipeline-model");
        fitted.write().save(saved.toString());
        Path unfitted = tmp.resolve("pipeline");
        pipeline.write().save(unfitted.toString());

        PipelineModel loaded = PipelineModel.load(saved.toString());
        CaptionTransformer stage = (CaptionTransformer) loaded.stages()[0];
        assertEquals(BEAM, stage.getBeamSize());
        assertEquals(2, stage.getNBest());
        assertEquals(8, stage.getBatchSize());
        assertEquals("text", stage.getCaptionCol());
        assertEquals(LocalSpark.MODEL.toString(), stage.getModelPath());
        assertEquals(1, Pipeline.load(unfitted.toString()).getStages().length);

        List<Row> rows = loaded.transform(imageFiles()).select("path", "text", "captions", "error").collectAsList();
        for (Row row : rows) {
            List<Caption> library = expected.get(fileName(row));
            if (library != null) {
                assertEquals(library.get(0).text(), row.getAs("text"), fileName(row));
                assertEquals(2, row.getList(2).size());
            } else {
                assertNotNull(row.getAs("error"));
            }
        }
    }

    @Test
    void settingsThatCannotRunAreRefusedOnTheDriver() {
        IllegalArgumentException nBest = assertThrows(IllegalArgumentException.class,
                () -> transformer().setBeamSize(2).setNBest(3).transform(imageFiles()));
        assertTrue(nBest.getMessage().contains("n-best 3 cannot exceed the beam size 2"), nBest.getMessage());
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> transformer().setInputCol("bytes").transform(imageFiles()));
        assertTrue(column.getMessage().contains("input column 'bytes' is not in the data"), column.getMessage());
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> new CaptionTransformer().transform(imageFiles()));
        assertTrue(noModel.getMessage().contains("set modelPath"), noModel.getMessage());
    }
}
