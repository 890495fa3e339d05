package dev.captioner.pipeline.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The workloads the {@code bench} command knows, by name. */
public final class Workloads {
    private static final Map<String, Supplier<Workload>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("encode-resnet18-224", () -> new EncodeWorkload(false));
        ALL.put("encode-resnet18-224-jpeg", () -> new EncodeWorkload(true));
        ALL.put("features-resnet18-224", FeaturesWorkload::new);
        ALL.put("train-att-lstm", () -> new TrainWorkload(dev.captioner.decoder.cell.CellType.LSTM, true));
        ALL.put("train-att-gru", () -> new TrainWorkload(dev.captioner.decoder.cell.CellType.GRU, true));
        ALL.put("train-plain-lstm", () -> new TrainWorkload(dev.captioner.decoder.cell.CellType.LSTM, false));
        ALL.put("beam-att-lstm-k3-single", () -> DecodeWorkload.beam(3, true));
        ALL.put("beam-att-lstm-k3-batch16", () -> DecodeWorkload.beam(3, false));
        ALL.put("beam-att-lstm-k5-single", () -> DecodeWorkload.beam(5, true));
        ALL.put("beam-att-lstm-k5-batch16", () -> DecodeWorkload.beam(5, false));
        ALL.put("greedy-att-lstm", DecodeWorkload::greedy);
        ALL.put("caption-one-image-beam3", CaptionLatencyWorkload::new);
        ALL.put("peak-matmul-2048", PeakMatmulWorkload::new);
        ALL.put("synth-scenes-224", () -> new SynthWorkload("jpg"));
        ALL.put("synth-scenes-224-png", () -> new SynthWorkload("png"));
        ALL.put("read-coco-captions", CocoReadWorkload::new);
        ALL.put("score-1000x5", () -> new ScoreWorkload(1_000));
        ALL.put("score-5000x5", () -> new ScoreWorkload(5_000));
    }

    private Workloads() {}

    /** A new instance of the named workload, or null for an unknown name. */
    public static Workload create(String name) {
        Supplier<Workload> factory = ALL.get(name);
        return factory == null ? null : factory.get();
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** Name and description of each workload, one a line, for the help text. */
    public static String listing() {
        StringBuilder text = new StringBuilder();
        for (String name : ALL.keySet()) {
            try (Workload w = create(name)) {
                text.append(String.format("  %-24s %s%n", name, w.description()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return text.toString();
    }
}
