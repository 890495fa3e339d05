package dev.captioner.data.coco;

import java.util.List;

/** One reference sentence of a Karpathy split file: its tokens and the raw text they came from. */
public record KarpathySentence(List<String> tokens, String raw) {
    public KarpathySentence {
        tokens = List.copyOf(tokens);
    }
}
