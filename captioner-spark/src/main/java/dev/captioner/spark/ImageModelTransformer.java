package dev.captioner.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the transformers that run a model package over a DataFrame of images share: the package, the batch
 * size, the copies of the model an executor keeps, and the columns read (the encoded image and its name, as
 * Spark's {@code binaryFile} source gives them: {@code content}, {@code path}) and the error column written.
 * A subclass ({@code T}, what the setters return) names its own output columns and what a batch of images becomes ({@link ImageRows}).
 *
 * <p>Rows pass through {@code mapPartitions}: each partition is read in batches of {@link #batchSize()}
 * rows, every input column is kept, and the output columns follow in the order {@link #outputFields()} gives.
 */
abstract class ImageModelTransformer<T extends ImageModelTransformer<T>> extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final IntParam batchSize;
    private final IntParam modelCopies;
    private final Param<String> inputCol;
    private final Param<String> pathCol;
    private final Param<String> errorCol;

    ImageModelTransformer(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the model package (folder or zip): a path every executor sees,"
                + " or the name of a file given to Spark with --files");
        batchSize = new IntParam(this, "batchSize", "images encoded and searched together", ParamValidators.gtEq(1));
        modelCopies = new IntParam(this, "modelCopies", "the most copies of the model one executor JVM loads: 1 makes the"
                + " executor's tasks take turns on one model; up to its cores lets them run at once", ParamValidators.gtEq(1));
        inputCol = new Param<>(this, "inputCol", "the column of encoded images (binary)");
        pathCol = new Param<>(this, "pathCol", "the column that names each image (string), used in error messages");
        errorCol = new Param<>(this, "errorCol", "the column written with a row's one-line error, null where it succeeded");
        setDefault(batchSize, 16);
        setDefault(modelCopies, 1);
        setDefault(inputCol, "content");
        setDefault(pathCol, "path");
        setDefault(errorCol, "error");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public String getModelPath() {
        return $(modelPath);
    }

    public T setModelPath(String value) {
        set(modelPath, value);
        return self();
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    public T setBatchSize(int value) {
        set(batchSize, value);
        return self();
    }

    public IntParam modelCopies() {
        return modelCopies;
    }

    public int getModelCopies() {
        return (Integer) $(modelCopies);
    }

    public T setModelCopies(int value) {
        set(modelCopies, value);
        return self();
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public T setInputCol(String value) {
        set(inputCol, value);
        return self();
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public String getPathCol() {
        return $(pathCol);
    }

    public T setPathCol(String value) {
        set(pathCol, value);
        return self();
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public String getErrorCol() {
        return $(errorCol);
    }

    public T setErrorCol(String value) {
        set(errorCol, value);
        return self();
    }

    /** This transformer, as its own type, so that setters chain. */
    abstract T self();

    /** The columns this transformer adds, in order, the error column last. */
    abstract List<StructField> outputFields();

    /** What each partition runs, reading the input columns at these positions of the row. */
    abstract ImageRows partitionFunction(int contentIndex, int pathIndex);

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelPath)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": set modelPath, the model package to run");
        }
        requireColumn(schema, getInputCol(), DataTypes.BinaryType);
        requireColumn(schema, getPathCol(), DataTypes.StringType);
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (StructField field : outputFields()) {
            if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("output column '" + field.name() + "' is already in the data; name another");
            }
            fields.add(field);
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        ImageRows function = partitionFunction(in.fieldIndex(getInputCol()), in.fieldIndex(getPathCol()));
        return dataset.toDF().mapPartitions(function, Encoders.row(out));
    }

    private static void requireColumn(StructType schema, String name, DataType type) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("input column '" + name + "' is not in the data (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        DataType actual = schema.apply(name).dataType();
        if (!actual.equals(type)) {
            throw new IllegalArgumentException("input column '" + name + "' is " + actual.simpleString() + ", not " + type.simpleString());
        }
    }
}
