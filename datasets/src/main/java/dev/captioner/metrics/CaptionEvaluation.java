package dev.captioner.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a set of generated captions with the COCO caption metrics at once, as pycocoevalcap's
 * {@code COCOEvalCap.evaluate()} does after tokenising: {@code Bleu_1..4} ({@link Bleu}), {@code ROUGE_L}
 * ({@link RougeL}) and {@code CIDEr} ({@link CiderD}). METEOR and SPICE, which need Java tools of their
 * own, are not computed.
 *
 * <p>Input is what the Python scorers take as {@code res} and {@code gts}: for each image id one
 * candidate and at least one reference, each an already tokenised, lowercased caption with tokens
 * separated by spaces. The set scored is the corpus: BLEU sums over it and CIDEr-D takes its document
 * frequencies from its references, so a score depends on which other images are in the set.
 *
 * <p>The work is linear in the number of captions: each caption is split and its n-grams interned once,
 * and BLEU and CIDEr-D share them.
 */
public final class CaptionEvaluation {
    /** The metric names COCO uses, in the order it reports them. */
    public static final List<String> METRICS =
            List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");

    private CaptionEvaluation() {}

    /**
     * Scores {@code candidates} against {@code references}, image by image in the order of
     * {@code imageIds}.
     *
     * @param imageIds   the images to score, each once; per-image scores follow this order
     * @param candidates for each image, a list holding its one generated caption
     * @param references for each image, its reference captions (at least one)
     * @throws IllegalArgumentException naming the image, if an id is repeated, the two maps and the id
     *                                  list do not hold the same ids, an image has no candidate or more than
     *                                  one, has no reference, or a caption is null; or if the set is empty
     */
    public static <K> CaptionScores<K> evaluate(List<K> imageIds, Map<K, ? extends List<String>> candidates,
            Map<K, ? extends List<String>> references) {
        validate(imageIds, candidates, references);
        List<String> cand = new ArrayList<>(imageIds.size());
        List<List<String>> refs = new ArrayList<>(imageIds.size());
        for (K id : imageIds) {
            cand.add(candidates.get(id).get(0));
            refs.add(references.get(id));
        }
        NGramCorpus corpus = NGramCorpus.of(cand, refs);
        Bleu.Scores bleu = Bleu.score(corpus);
        Map<String, CorpusScore> scores = new LinkedHashMap<>();
        for (int n = 1; n <= Bleu.MAX_ORDER; n++) {
            scores.put("Bleu_" + n, bleu.bleu(n));
        }
        scores.put("ROUGE_L", RougeL.score(cand, refs));
        scores.put("CIDEr", CiderD.score(corpus));
        return new CaptionScores<>(imageIds, scores, bleu.stats());
    }

    /** The asserts of the pycocoevalcap wrappers, as exceptions that say which image is wrong. */
    private static <K> void validate(List<K> imageIds, Map<K, ? extends List<String>> candidates,
            Map<K, ? extends List<String>> references) {
        if (imageIds == null || candidates == null || references == null) {
            throw new IllegalArgumentException("image ids, candidates and references must not be null");
        }
        if (imageIds.isEmpty()) {
            throw new IllegalArgumentException("there are no images to score");
        }
        Set<K> ids = new HashSet<>(imageIds.size() * 2);
        for (K id : imageIds) {
            if (id == null) {
                throw new IllegalArgumentException("an image id is null");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("image " + id + " is listed more than once");
            }
            List<String> cand = candidates.get(id);
            if (cand == null) {
                throw new IllegalArgumentException("image " + id + " has no candidate caption");
            }
            if (cand.size() != 1) {
                throw new IllegalArgumentException("image " + id + " has " + cand.size()
                        + " candidate captions; exactly one is required");
            }
            if (cand.get(0) == null) {
                throw new IllegalArgumentException("the candidate caption of image " + id + " is null");
            }
            List<String> refs = references.get(id);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException("image " + id + " has no reference captions");
            }
            for (String ref : refs) {
                if (ref == null) {
                    throw new IllegalArgumentException("a reference caption of image " + id + " is null");
                }
            }
        }
        requireListed("candidate captions", candidates.keySet(), ids);
        requireListed("reference captions", references.keySet(), ids);
    }

    private static <K> void requireListed(String what, Collection<K> keys, Set<K> ids) {
        if (keys.size() != ids.size()) {
            for (K key : keys) {
                if (!ids.contains(key)) {
                    throw new IllegalArgumentException("there are " + what + " for image " + key
                            + ", which is not among the image ids to score");
                }
            }
        }
    }
}
