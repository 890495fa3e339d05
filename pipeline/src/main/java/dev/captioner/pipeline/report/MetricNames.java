package dev.captioner.pipeline.report;

import java.util.Map;

/** How metrics are named in tables and charts: COCO's {@code Bleu_4} is shown as {@code BLEU-4}, {@code CIDEr} as {@code CIDEr-D}. */
public final class MetricNames {
    private static final Map<String, String> DISPLAY = Map.of(
            "Bleu_1", "BLEU-1", "Bleu_2", "BLEU-2", "Bleu_3", "BLEU-3", "Bleu_4", "BLEU-4",
            "ROUGE_L", "ROUGE-L", "CIDEr", "CIDEr-D");

    private MetricNames() {}

    /** The name to show for a metric; names other than COCO's are shown as they are. */
    public static String display(String metric) {
        return DISPLAY.getOrDefault(metric, metric);
    }
}
