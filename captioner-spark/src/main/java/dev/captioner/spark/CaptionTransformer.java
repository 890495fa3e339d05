package dev.captioner.spark;

import dev.captioner.encoder.image.ImageInput;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionBatch;
import dev.captioner.pipeline.model.CaptionResult;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Adds captions to a DataFrame of images, as a Spark ML {@link org.apache.spark.ml.Transformer}:
 * <pre>
 * Dataset&lt;Row&gt; images = spark.read().format("binaryFile").load("photos/");   // path, content, ...
 * Dataset&lt;Row&gt; captioned = new CaptionTransformer().setModelPath("model.zip").setBeamSize(3).transform(images);
 * captioned.select("path", "caption", "log_prob", "error").show();
 * </pre>
 * Output columns: {@code caption} (the best caption), {@code log_prob} (its log-probability), with
 * {@code nBest} above 1 the n-best list {@code captions} (array of {@code caption}, {@code log_prob}, best
 * first), and {@code error}: a row whose image cannot be decoded gets its one-line message there, nulls in the
 * others, and the job goes on. The captions are those of {@code Captioner.captionInputs} with the same
 * settings, so the command line and the library give the same words for the same image.
 *
 * <p>Saved and loaded with its parameters alone, inside a {@link org.apache.spark.ml.Pipeline} or on its own
 * ({@link DefaultParamsWritable}, {@link #read()}); the package itself stays where {@code modelPath} names it.
 */
public final class CaptionTransformer extends ImageModelTransformer<CaptionTransformer> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final IntParam beamSize;
    private final IntParam nBest;
    private final IntParam maxLength;
    private final Param<String> captionCol;
    private final Param<String> logProbCol;
    private final Param<String> nBestCol;

    public CaptionTransformer() {
        this(Identifiable.randomUID("captioner"));
    }

    /** With a given uid: how Spark rebuilds a saved transformer. */
    public CaptionTransformer(String uid) {
        super(uid);
        beamSize = new IntParam(this, "beamSize", "K, the hypotheses kept per step; 1 is greedy search", ParamValidators.gtEq(1));
        nBest = new IntParam(this, "nBest", "captions kept per image, best first, at most K; above 1 adds the n-best column",
                ParamValidators.gtEq(1));
        maxLength = new IntParam(this, "maxLength", "the most words a caption gets", ParamValidators.gtEq(1));
        captionCol = new Param<>(this, "captionCol", "the column written with the best caption");
        logProbCol = new Param<>(this, "logProbCol", "the column written with the best caption's log-probability");
        nBestCol = new Param<>(this, "nBestCol", "the column written with the n best captions, where nBest is above 1");
        setDefault(beamSize, 3); // the command line's default
        setDefault(nBest, 1);
        setDefault(maxLength, Captioner.Options.DEFAULT_MAX_LENGTH);
        setDefault(captionCol, "caption");
        setDefault(logProbCol, "log_prob");
        setDefault(nBestCol, "captions");
    }

    /** Reads a saved transformer (Spark calls this by reflection when it loads a pipeline). */
    public static MLReader<CaptionTransformer> read() {
        return new DefaultParamsReadable<CaptionTransformer>() { }.read();
    }

    public static CaptionTransformer load(String path) {
        return read().load(path);
    }

    public IntParam beamSize() {
        return beamSize;
    }

    public int getBeamSize() {
        return (Integer) $(beamSize);
    }

    public CaptionTransformer setBeamSize(int value) {
        set(beamSize, value);
        return this;
    }

    public IntParam nBest() {
        return nBest;
    }

    public int getNBest() {
        return (Integer) $(nBest);
    }

    public CaptionTransformer setNBest(int value) {
        set(nBest, value);
        return this;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public int getMaxLength() {
        return (Integer) $(maxLength);
    }

    public CaptionTransformer setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    public Param<String> captionCol() {
        return captionCol;
    }

    public String getCaptionCol() {
        return $(captionCol);
    }

    public CaptionTransformer setCaptionCol(String value) {
        set(captionCol, value);
        return this;
    }

    public Param<String> logProbCol() {
        return logProbCol;
    }

    public String getLogProbCol() {
        return $(logProbCol);
    }

    public CaptionTransformer setLogProbCol(String value) {
        set(logProbCol, value);
        return this;
    }

    public Param<String> nBestCol() {
        return nBestCol;
    }

    public String getNBestCol() {
        return $(nBestCol);
    }

    public CaptionTransformer setNBestCol(String value) {
        set(nBestCol, value);
        return this;
    }

    /** The search these parameters describe; a combination that cannot run (n-best above K) fails with one line. */
    Captioner.Options searchOptions() {
        return Captioner.Options.builder().optBeamSize(getBeamSize()).optNBest(getNBest()).optMaxLength(getMaxLength())
                .optBatchSize(getBatchSize()).build();
    }

    /** One n-best entry: a caption and its log-probability. */
    static final StructType CAPTION = new StructType()
            .add("caption", DataTypes.StringType, false)
            .add("log_prob", DataTypes.DoubleType, false);

    @Override
    CaptionTransformer self() {
        return this;
    }

    @Override
    List<StructField> outputFields() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(getCaptionCol(), DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(getLogProbCol(), DataTypes.DoubleType, true));
        if (getNBest() > 1) {
            fields.add(DataTypes.createStructField(getNBestCol(), DataTypes.createArrayType(CAPTION, false), true));
        }
        fields.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
        return fields;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        searchOptions(); // settings that cannot run fail here, on the driver, before any task starts
        return super.transformSchema(schema);
    }

    @Override
    ImageRows partitionFunction(int contentIndex, int pathIndex) {
        return new CaptionRows(this, contentIndex, pathIndex);
    }

    @Override
    public CaptionTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** A batch of images to their captions: the best, its log-probability, the n-best list where asked, the error. */
    private static final class CaptionRows extends ImageRows {
        private static final long serialVersionUID = 1L;

        private final int beamSize;
        private final int nBest;
        private final int maxLength;
        private final int batchSize;

        CaptionRows(CaptionTransformer settings, int contentIndex, int pathIndex) {
            super(settings, contentIndex, pathIndex);
            this.beamSize = settings.getBeamSize();
            this.nBest = settings.getNBest();
            this.maxLength = settings.getMaxLength();
            this.batchSize = settings.getBatchSize();
        }

        @Override
        int outputWidth() {
            return nBest > 1 ? 4 : 3;
        }

        @Override
        List<Object[]> process(Captioner captioner, List<ImageInput> images) throws IOException {
            Captioner.Options search = Captioner.Options.builder().optBeamSize(beamSize).optNBest(nBest).optMaxLength(maxLength)
                    .optBatchSize(batchSize).build();
            CaptionBatch batch = captioner.captionInputs(images, search);
            String[] errors = errors(images, batch.results().stream().map(CaptionResult::input).toList(), batch.failures());
            List<Object[]> out = new ArrayList<>(images.size());
            int next = 0;
            for (String error : errors) {
                out.add(error != null ? failed(error) : values(batch.results().get(next++)));
            }
            return out;
        }

        private Object[] values(CaptionResult result) {
            if (nBest == 1) {
                return new Object[] {result.text(), result.logProb(), null};
            }
            List<Row> list = new ArrayList<>(result.captions().size());
            for (Caption caption : result.captions()) {
                list.add(RowFactory.create(caption.text(), caption.logProb()));
            }
            return new Object[] {result.text(), result.logProb(), CollectionConverters.asScala(list).toSeq(), null};
        }
    }
}
