package dev.captioner.pipeline.model;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.search.Hypothesis;
import dev.captioner.decoder.search.SearchModel;
import dev.captioner.encoder.cache.FeatureCache;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captions images from their cached encoder features: the search of {@link Captioner} (greedy for a beam
 * of 1, else batched beam search; {@link Captioner.Options}) without decoding images or running the
 * encoder, for evaluating a decoder fresh from training on a split whose features are in a
 * {@link FeatureCache}. The same decoder, options and features give the captions {@link Captioner} gives.
 */
public final class FeatureCaptioner {
    private final CaptionDecoder decoder;
    private final SearchModel<?> model;
    private final Vocabulary vocabulary;
    private final CaptionSearch search;
    private final int batchSize;
    private final Device device;

    /**
     * @param options the search; {@link Captioner.Options#batchSize()} images are searched together
     * @throws IllegalArgumentException with one line, for search settings that cannot run
     */
    public FeatureCaptioner(CaptionDecoder decoder, Vocabulary vocabulary, Captioner.Options options) {
        this.decoder = decoder;
        this.model = SearchModel.of(decoder);
        this.vocabulary = vocabulary;
        this.search = CaptionSearch.of(options);
        this.batchSize = options.batchSize();
        this.device = options.device();
    }

    /**
     * The best caption of each image, in the order of {@code ids}; an attention decoder's captions carry
     * each word's attention as a {@code [rows][cols]} grid of the cache's layout.
     */
    public Map<Long, Caption> caption(FeatureCache cache, List<Long> ids) throws IOException {
        int rows = cache.layout().gridHeight();
        int cols = cache.layout().gridWidth();
        Map<Long, Caption> captions = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int from = 0; from < ids.size(); from += batchSize) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + batchSize));
                try (NDManager scope = manager.newSubManager()) {
                    NDList features = cache.batch(scope, chunk); // (B, L, D), (B, D)
                    List<List<Hypothesis>> found = search.run(model, decoder.config().attention() ? features.get(0) : null,
                            features.get(1)); // (B, L, D), (B, D)
                    for (int i = 0; i < chunk.size(); i++) {
                        captions.put(chunk.get(i), CaptionSearch.captions(found.get(i), vocabulary, rows, cols).get(0));
                    }
                }
            }
        }
        return captions;
    }
}
