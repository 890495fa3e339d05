package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import dev.captioner.decoder.DecoderConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a package's {@code config.json}: everything needed to rebuild the model and check its
 * files, plus free-form provenance for people.
 *
 * @param encoder        the encoder and what it gives
 * @param decoder        the decoder's architecture; its weights must fit it parameter by parameter
 * @param vocabularySize words in {@code vocab.json}, the specials included; equals the decoder's V
 * @param storage        the element type of the stored weights
 * @param provenance     how the model was made and what it scored (the training command, the checkpoint,
 *                       validation CIDEr-D, ...): strings, numbers, booleans, lists and objects
 */
public record PackageConfig(EncoderInfo encoder, DecoderConfig decoder, int vocabularySize, StorageType storage,
        Map<String, Object> provenance) {

    public PackageConfig {
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }
}
