package dev.captioner.encoder.backbone;

import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal safetensors writer for tests: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}}} padded with spaces to 8 bytes, then the
 * raw little-endian data in header order.
 */
final class SafetensorsWriter {

    private record Tensor(String name, String dtype, Shape shape, byte[] data) {}

    private final List<Tensor> tensors = new ArrayList<>();

    SafetensorsWriter f32(String name, Shape shape, float[] values) {
        check(shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        tensors.add(new Tensor(name, "F32", shape, b.array()));
        return this;
    }

    SafetensorsWriter i64(String name, Shape shape, long[] values) {
        check(shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        tensors.add(new Tensor(name, "I64", shape, b.array()));
        return this;
    }

    private static void check(Shape shape, int length) {
        if (shape.size() != length) {
            throw new IllegalArgumentException(shape + " does not hold " + length + " values");
        }
    }

    byte[] toBytes() {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            json.append(",\"").append(t.name).append("\":{\"dtype\":\"").append(t.dtype)
                    .append("\",\"shape\":[");
            for (int d = 0; d < t.shape.dimension(); d++) {
                json.append(d > 0 ? "," : "").append(t.shape.get(d));
            }
            json.append("],\"data_offsets\":[").append(offset).append(',')
                    .append(offset + t.data.length).append("]}");
            offset += t.data.length;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(8 + header.length + offset));
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        for (Tensor t : tensors) {
            out.writeBytes(t.data);
        }
        return out.toByteArray();
    }
}
