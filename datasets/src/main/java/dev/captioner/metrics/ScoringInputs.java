package dev.captioner.metrics;

import java.util.List;

/**
 * Checks on the parallel lists the scorers take, with the asserts of pycocoevalcap's wrappers: one
 * candidate per image and at least one reference. Images are named by their index here;
 * {@link CaptionEvaluation} checks first and names them by id.
 */
final class ScoringInputs {
    private ScoringInputs() {}

    static void checkParallel(List<String> candidates, List<? extends List<String>> references) {
        if (candidates == null || references == null) {
            throw new IllegalArgumentException("candidates and references must not be null");
        }
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException("there are " + candidates.size() + " candidates but references for "
                    + references.size() + " images; each image needs exactly one candidate");
        }
        if (candidates.isEmpty()) {
            // pycocoevalcap fails on an empty set too (max() of no document frequencies); a mean of nothing is no score
            throw new IllegalArgumentException("there are no images to score");
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == null) {
                throw new IllegalArgumentException("the candidate of the image at index " + i + " is null");
            }
            List<String> refs = references.get(i);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException("the image at index " + i + " has no reference captions");
            }
            for (String ref : refs) {
                if (ref == null) {
                    throw new IllegalArgumentException("a reference of the image at index " + i + " is null");
                }
            }
        }
    }
}
