package dev.captioner.spark;

import ai.djl.ndarray.NDManager;
import dev.captioner.encoder.EncodedImages;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Adds each image's features, as the package's encoder computes them for captioning: the pooled vector
 * ({@code pooled}, D floats, the mean of the grid over its locations) and, with {@code withGrid}, the grid
 * ({@code grid}, L rows of D floats, row by row over the image). The same preprocessing and encoder as the
 * {@link CaptionTransformer}'s, from the same executor-wide model ({@link ExecutorCaptioners}), so features
 * and captions agree. Bad rows get their one-line error, as there.
 */
public final class FeatureTransformer extends ImageModelTransformer<FeatureTransformer> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final Param<String> pooledCol;
    private final Param<String> gridCol;
    private final BooleanParam withGrid;

    public FeatureTransformer() {
        this(Identifiable.randomUID("features"));
    }

    /** With a given uid: how Spark rebuilds a saved transformer. */
    public FeatureTransformer(String uid) {
        super(uid);
        pooledCol = new Param<>(this, "pooledCol", "the column written with the pooled feature vector (D floats)");
        gridCol = new Param<>(this, "gridCol", "the column written with the grid of features (L rows of D floats), with withGrid");
        withGrid = new BooleanParam(this, "withGrid", "whether to write the grid as well as the pooled vector");
        setDefault(pooledCol, "pooled");
        setDefault(gridCol, "grid");
        setDefault(withGrid, false);
    }

    public static MLReader<FeatureTransformer> read() {
        return new DefaultParamsReadable<FeatureTransformer>() { }.read();
    }

    public static FeatureTransformer load(String path) {
        return read().load(path);
    }

    public Param<String> pooledCol() {
        return pooledCol;
    }

    public String getPooledCol() {
        return $(pooledCol);
    }

    public FeatureTransformer setPooledCol(String value) {
        set(pooledCol, value);
        return this;
    }

    public Param<String> gridCol() {
        return gridCol;
    }

    public String getGridCol() {
        return $(gridCol);
    }

    public FeatureTransformer setGridCol(String value) {
        set(gridCol, value);
        return this;
    }

    public BooleanParam withGrid() {
        return withGrid;
    }

    public boolean getWithGrid() {
        return (Boolean) $(withGrid);
    }

    public FeatureTransformer setWithGrid(boolean value) {
        set(withGrid, value);
        return this;
    }

    @Override
    FeatureTransformer self() {
        return this;
    }

    @Override
    List<StructField> outputFields() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(getPooledCol(), DataTypes.createArrayType(DataTypes.FloatType, false), true));
        if (getWithGrid()) {
            fields.add(DataTypes.createStructField(getGridCol(),
                    DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), true));
        }
        fields.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
        return fields;
    }

    @Override
    ImageRows partitionFunction(int contentIndex, int pathIndex) {
        return new FeatureRows(this, contentIndex, pathIndex);
    }

    @Override
    public FeatureTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** A batch of images through the package's encoder, its features copied out to Java arrays. */
    private static final class FeatureRows extends ImageRows {
        private static final long serialVersionUID = 1L;

        private final boolean withGrid;

        FeatureRows(FeatureTransformer settings, int contentIndex, int pathIndex) {
            super(settings, contentIndex, pathIndex);
            this.withGrid = settings.getWithGrid();
        }

        @Override
        int outputWidth() {
            return withGrid ? 3 : 2;
        }

        @Override
        List<Object[]> process(Captioner captioner, List<ImageInput> images) throws IOException {
            FeatureExtractor extractor = captioner.model().encoder();
            // Everything this batch allocates lives in one manager, closed with the batch.
            try (NDManager manager = NDManager.newBaseManager(captioner.options().device())) {
                ImagePreprocessor.PreprocessedInputs batch = extractor.preprocessor().batchOfInputs(images, manager, true);
                String[] errors = errors(images, batch.accepted(), batch.failures());
                float[] pooled = null;
                float[] grid = null;
                int locations = 0;
                int channels = 0;
                if (!batch.accepted().isEmpty()) {
                    EncodedImages features = extractor.encoder().encode(batch.images()); // grid (B, L, D), pooled (B, D)
                    locations = (int) features.locations();
                    channels = (int) features.channels();
                    pooled = features.pooled().toFloatArray();
                    grid = withGrid ? features.grid().toFloatArray() : null;
                }
                List<Object[]> out = new ArrayList<>(images.size());
                int next = 0;
                for (String error : errors) {
                    if (error != null) {
                        out.add(failed(error));
                        continue;
                    }
                    int b = next++;
                    Object[] values = new Object[outputWidth()];
                    values[0] = floats(pooled, b * channels, channels);
                    if (withGrid) {
                        List<Object> rows = new ArrayList<>(locations);
                        for (int l = 0; l < locations; l++) {
                            rows.add(floats(grid, (b * locations + l) * channels, channels));
                        }
                        values[1] = scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq();
                    }
                    out.add(values);
                }
                return out;
            }
        }

        /** D floats from {@code from}, as a Spark array value. */
        private static Object floats(float[] all, int from, int count) {
            List<Float> values = new ArrayList<>(count);
            for (int i = from; i < from + count; i++) {
                values.add(all[i]);
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq();
        }
    }
}
