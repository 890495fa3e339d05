package dev.captioner.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 1..4-grams of every caption of a scored set, each n-gram interned once to a dense integer id, so
 * that BLEU and CIDEr-D count and look up n-grams through arrays indexed by id instead of hashing
 * n-gram tuples for every comparison. Building it costs one hash lookup per n-gram occurrence; all later
 * work is linear in the number of captions.
 *
 * <p>Tokens come from {@link Tokens#whitespace} (Python's {@code str.split()}), as in pycocoevalcap's
 * {@code precook}. An n-gram of order n &gt; 1 is interned as the pair (id of its first n-1 tokens, id of
 * its last token); ids are unique across orders, so an id alone names an n-gram.
 */
final class NGramCorpus {
    static final int MAX_ORDER = 4;

    /**
     * The n-grams of one caption, as pycocoevalcap's {@code precook} counts them: for each order, the
     * distinct n-grams in order of first occurrence (the iteration order of its {@code dict}, which fixes
     * CIDEr-D's summation order) with their counts.
     */
    static final class Counts {
        /** Number of tokens. */
        final int length;
        /** Distinct n-gram ids, order 1 first; order n occupies {@code [start[n-1], start[n])}. */
        final int[] ids;
        /** Occurrences of {@code ids[k]} in the caption. */
        final int[] counts;
        /** Offsets into {@code ids}; {@code MAX_ORDER + 1} entries. */
        final int[] start;

        Counts(int length, int[] ids, int[] counts, int[] start) {
            this.length = length;
            this.ids = ids;
            this.counts = counts;
            this.start = start;
        }
    }

    /** One entry per image, in input order. */
    final Counts[] candidates;
    /** {@code references[i]} holds image i's references, in input order. */
    final Counts[][] references;
    /** Number of distinct n-grams (all orders); ids are {@code 0 .. size-1}. */
    final int size;

    private NGramCorpus(Counts[] candidates, Counts[][] references, int size) {
        this.candidates = candidates;
        this.references = references;
        this.size = size;
    }

    /** Interns the n-grams of parallel lists: {@code candidates.get(i)} is scored against {@code references.get(i)}. */
    static NGramCorpus of(List<String> candidates, List<? extends List<String>> references) {
        ScoringInputs.checkParallel(candidates, references);
        Interner interner = new Interner();
        int images = candidates.size();
        Counts[] cand = new Counts[images];
        Counts[][] refs = new Counts[images][];
        for (int i = 0; i < images; i++) {
            cand[i] = interner.count(Tokens.whitespace(candidates.get(i)));
            List<String> imageRefs = references.get(i);
            refs[i] = new Counts[imageRefs.size()];
            for (int j = 0; j < refs[i].length; j++) {
                refs[i][j] = interner.count(Tokens.whitespace(imageRefs.get(j)));
            }
        }
        return new NGramCorpus(cand, refs, interner.next);
    }

    int images() {
        return candidates.length;
    }

    /** Assigns ids and counts n-grams; its scratch arrays make counting one caption linear in its length. */
    private static final class Interner {
        private final Map<String, Integer> unigrams = new HashMap<>();
        // (id of the (n-1)-gram prefix << 32) | id of the last token  ->  id of the n-gram
        private final LongIntMap longer = new LongIntMap(1 << 12);
        private int next;
        // slot[id] = 1 + index of id in the caption being counted, 0 when absent; reset after each caption
        private int[] slot = new int[1 << 12];

        Counts count(String[] words) {
            int len = words.length;
            int total = 0;
            for (int n = 1; n <= MAX_ORDER; n++) {
                total += Math.max(0, len - n + 1);
            }
            int[] ids = new int[total];
            int[] counts = new int[total];
            int[] start = new int[MAX_ORDER + 1];
            int[] tokenIds = new int[len];
            int[] gram = new int[len]; // gram[i]: id of the current order's n-gram starting at token i
            int k = 0;
            for (int n = 1; n <= MAX_ORDER; n++) {
                start[n - 1] = k;
                for (int i = 0; i + n <= len; i++) {
                    int id;
                    if (n == 1) {
                        id = unigrams.computeIfAbsent(words[i], w -> next++);
                        tokenIds[i] = id;
                    } else {
                        long key = ((long) gram[i] << 32) | (tokenIds[i + n - 1] & 0xffffffffL);
                        id = longer.getOrPut(key, next);
                        if (id == next) {
                            next++;
                        }
                    }
                    gram[i] = id;
                    if (id >= slot.length) {
                        slot = Arrays.copyOf(slot, Math.max(id + 1, slot.length * 2));
                    }
                    int s = slot[id];
                    if (s == 0) {
                        ids[k] = id;
                        counts[k] = 1;
                        slot[id] = ++k;
                    } else {
                        counts[s - 1]++;
                    }
                }
            }
            start[MAX_ORDER] = k;
            for (int j = 0; j < k; j++) {
                slot[ids[j]] = 0;
            }
            return new Counts(len, Arrays.copyOf(ids, k), Arrays.copyOf(counts, k), start);
        }
    }
}
