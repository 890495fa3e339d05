package dev.captioner.spark;

import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImageInput;
import dev.captioner.pipeline.model.Captioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One partition's rows through a model, a batch at a time: {@code batchSize} rows are read, their images
 * handed to the JVM's captioner ({@link ExecutorCaptioners}, loaded once for all partitions) as one batch,
 * and each row comes out with its input columns and the output columns after them. The partition is read
 * lazily, so at most one batch of images is held at a time.
 *
 * <p>A row whose image cannot be used gets its one-line message in the error column (the last) and nulls
 * in the others; the rest of its batch goes on.
 */
abstract class ImageRows implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final int batchSize;
    private final int copies;
    private final int contentIndex;
    private final int pathIndex;

    ImageRows(ImageModelTransformer<?> settings, int contentIndex, int pathIndex) {
        this.model = settings.getModelPath();
        this.batchSize = settings.getBatchSize();
        this.copies = settings.getModelCopies();
        this.contentIndex = contentIndex;
        this.pathIndex = pathIndex;
    }

    /**
     * The output values of each image, in input order, the error last: for an image that was used its values
     * and a null error, for one that was not nulls and its message.
     */
    abstract List<Object[]> process(Captioner captioner, List<ImageInput> images) throws IOException;

    /** How many output columns {@link #process} gives per row, the error included. */
    abstract int outputWidth();

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        ExecutorCaptioners.Key key = new ExecutorCaptioners.Key(ModelLocation.resolve(model), batchSize, copies);
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    try {
                        ready.addAll(nextBatch(rows, key));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> nextBatch(Iterator<Row> rows, ExecutorCaptioners.Key key) throws IOException {
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
            batch.add(rows.next());
        }
        // Rows without bytes never reach the model; the others go as one batch, named by their path.
        List<ImageInput> images = new ArrayList<>(batch.size());
        for (Row row : batch) {
            if (!row.isNullAt(contentIndex)) {
                images.add(ImageInput.of(name(row), (byte[]) row.get(contentIndex)));
            }
        }
        List<Object[]> outputs = images.isEmpty() ? List.of()
                : ExecutorCaptioners.with(key, captioner -> process(captioner, images));
        List<Row> out = new ArrayList<>(batch.size());
        int next = 0;
        for (Row row : batch) {
            Object[] values = new Object[row.length() + outputWidth()];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            if (row.isNullAt(contentIndex)) {
                values[values.length - 1] = name(row) + ": no image bytes (the image column is null)";
            } else {
                Object[] output = outputs.get(next++);
                System.arraycopy(output, 0, values, row.length(), output.length);
            }
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private String name(Row row) {
        return row.isNullAt(pathIndex) ? "(unnamed image)" : row.getString(pathIndex);
    }

    /**
     * Which images were left out, and why: the message of each image not among {@code accepted}, by position,
     * null for those that were used. Both lists keep the order of {@code images}, so the k-th image left out
     * is the k-th failure.
     */
    static String[] errors(List<ImageInput> images, List<ImageInput> accepted, List<ImageFailure> failures) {
        Map<ImageInput, Boolean> used = new IdentityHashMap<>();
        accepted.forEach(input -> used.put(input, Boolean.TRUE));
        if (used.size() + failures.size() != images.size()) {
            throw new IllegalStateException(images.size() + " images gave " + used.size() + " results and " + failures.size()
                    + " failures");
        }
        String[] errors = new String[images.size()];
        int failure = 0;
        for (int i = 0; i < images.size(); i++) {
            if (!used.containsKey(images.get(i))) {
                errors[i] = failures.get(failure++).message();
            }
        }
        return errors;
    }

    /** One row's output values: all null but the error, the last. */
    Object[] failed(String error) {
        Object[] values = new Object[outputWidth()];
        values[values.length - 1] = error;
        return values;
    }
}
