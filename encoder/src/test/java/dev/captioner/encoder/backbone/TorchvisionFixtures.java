package dev.captioner.encoder.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The committed torchvision facts (made by src/test/python) and the closed-form weights and input
 * that the Java tests and torchvision_reference.py compute alike.
 */
final class TorchvisionFixtures {

    private TorchvisionFixtures() {}

    /** One line of torchvision-names/MODEL.txt: a state_dict key, its shape, its position k. */
    record Entry(String name, Shape shape, int index) {}

    /** All state_dict entries of a torchvision model, num_batches_tracked and head included. */
    static List<Entry> stateDict(String model) {
        String resource = "/torchvision-names/" + model + ".txt";
        try (InputStream in =
                        Objects.requireNonNull(
                                TorchvisionFixtures.class.getResourceAsStream(resource), resource);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Entry> entries = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(" ");
                String dims = parts[1].substring(1, parts[1].length() - 1);
                long[] shape =
                        dims.isEmpty()
                                ? new long[0]
                                : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
                entries.add(new Entry(parts[0], new Shape(shape), entries.size()));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in =
                Objects.requireNonNull(TorchvisionFixtures.class.getResourceAsStream(path), path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The formula weights of torchvision_reference.py for tensor number k: element i of a running
     * variance is 1 + 0.5 (1 + cos(0.37 i + k)), of a running mean or bias 0.1 sin(0.37 i + k), of
     * another 1-d tensor 1 + 0.2 sin(0.37 i + k), of a convolution sqrt(2 / fan_in) sqrt(2) sin(.).
     */
    static float[] formula(Entry entry) {
        String name = entry.name();
        Shape shape = entry.shape();
        int n = Math.toIntExact(shape.size());
        int k = entry.index();
        float[] v = new float[n];
        double convScale = shape.dimension() > 1 ? Math.sqrt(2.0 / (n / shape.get(0))) * Math.sqrt(2.0) : 0;
        for (int i = 0; i < n; i++) {
            double a = 0.37 * i + k;
            double value;
            if (name.endsWith("running_var")) {
                value = 1.0 + 0.5 * (1.0 + Math.cos(a));
            } else if (name.endsWith("running_mean") || name.endsWith("bias")) {
                value = 0.1 * Math.sin(a);
            } else if (shape.dimension() == 1) {
                value = 1.0 + 0.2 * Math.sin(a);
            } else {
                value = convScale * Math.sin(a);
            }
            v[i] = (float) value;
        }
        return v;
    }

    /** The formula input (1, 3, S, S): x[i] = cos(0.013 i). */
    static NDArray formulaInput(NDManager manager, int size) {
        float[] x = new float[3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(0.013 * i);
        }
        return manager.create(x, new Shape(1, 3, size, size));
    }

    /**
     * A safetensors file of the formula state_dict, counters included, the classifier head left out
     * (VGG's is 123 M values).
     */
    static byte[] formulaSafetensors(String model) {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Entry e : stateDict(model)) {
            if (e.name().startsWith("fc.") || e.name().startsWith("classifier.")) {
                continue;
            }
            if (e.name().endsWith("num_batches_tracked")) {
                writer.i64(e.name(), e.shape(), new long[] {0});
            } else {
                writer.f32(e.name(), e.shape(), formula(e));
            }
        }
        return writer.toBytes();
    }
}
