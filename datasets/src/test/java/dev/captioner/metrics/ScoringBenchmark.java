package dev.captioner.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times {@link CaptionEvaluation#evaluate} on synthetic sets of 1,000, 2,000 and 5,000 images with five
 * references each, to show that scoring is fast and linear in the number of images (the ms per image
 * should stay flat). A main class, not a unit test: timings belong in a benchmark, not in a build that
 * shares its cores with others.
 *
 * <pre>
 *   mvn -B -q -o -pl datasets test-compile
 *   java -cp datasets/target/classes:datasets/target/test-classes dev.captioner.metrics.ScoringBenchmark [runs]
 * </pre>
 */
public final class ScoringBenchmark {
    static final long SEED = 20240611L;
    static final int REFERENCES = 5;
    private static final int[] SIZES = {1_000, 2_000, 5_000};
    private static final int VOCABULARY = 400;

    private ScoringBenchmark() {}

    /** A set to score: ids in order, one candidate and {@value #REFERENCES} references per id. */
    record SyntheticSet(List<Long> ids, Map<Long, List<String>> candidates, Map<Long, List<String>> references) {
        SyntheticSet first(int images) {
            List<Long> head = ids.subList(0, images);
            Map<Long, List<String>> cand = new LinkedHashMap<>();
            Map<Long, List<String>> refs = new LinkedHashMap<>();
            for (Long id : head) {
                cand.put(id, candidates.get(id));
                refs.put(id, references.get(id));
            }
            return new SyntheticSet(List.copyOf(head), cand, refs);
        }
    }

    /**
     * Captions of 8-14 words over a vocabulary of {@value #VOCABULARY}, words drawn with a Zipf-like skew so
     * that common words and n-grams recur across images as in real captions. Each image has a "scene" of
     * words its references share; the candidate is a reference with some words swapped, as a model's
     * caption would be.
     */
    static SyntheticSet syntheticSet(int images, long seed) {
        Random random = new Random(seed);
        String[] words = new String[VOCABULARY];
        String[] syllables = {"ba", "ko", "ri", "tu", "me", "sa", "lo", "ni", "da", "fe", "gu", "pi", "zo", "he"};
        for (int w = 0; w < VOCABULARY; w++) {
            words[w] = syllables[w % syllables.length] + syllables[(w / syllables.length) % syllables.length]
                    + (w >= syllables.length * syllables.length ? syllables[w % 5] : "");
        }
        List<Long> ids = new ArrayList<>(images);
        Map<Long, List<String>> candidates = new LinkedHashMap<>();
        Map<Long, List<String>> references = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            long id = 100_000L + 7L * i; // COCO-like sparse ids
            String[] scene = new String[6];
            for (int s = 0; s < scene.length; s++) {
                scene[s] = words[zipf(random)];
            }
            List<String> refs = new ArrayList<>(REFERENCES);
            for (int r = 0; r < REFERENCES; r++) {
                refs.add(caption(random, words, scene));
            }
            String[] candidate = refs.get(random.nextInt(REFERENCES)).split(" ");
            for (int t = 0; t < candidate.length; t++) {
                if (random.nextInt(4) == 0) {
                    candidate[t] = words[zipf(random)];
                }
            }
            ids.add(id);
            candidates.put(id, List.of(String.join(" ", candidate)));
            references.put(id, List.copyOf(refs));
        }
        return new SyntheticSet(List.copyOf(ids), candidates, references);
    }

    private static String caption(Random random, String[] words, String[] scene) {
        int length = 8 + random.nextInt(7); // 8..14 words
        StringBuilder s = new StringBuilder();
        for (int t = 0; t < length; t++) {
            String word = random.nextInt(3) == 0 ? scene[random.nextInt(scene.length)] : words[zipf(random)];
            s.append(t == 0 ? "" : " ").append(word);
        }
        return s.toString();
    }

    /** Roughly Zipf-distributed index: small indices (the "a", "on", "the" of the vocabulary) are common. */
    private static int zipf(Random random) {
        double u = random.nextDouble();
        return Math.min(VOCABULARY - 1, (int) (Math.pow(VOCABULARY + 1.0, u) - 1));
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        SyntheticSet all = syntheticSet(SIZES[SIZES.length - 1], SEED);
        System.out.printf("CaptionEvaluation.evaluate: %d references per image, median of %d runs after warm-up%n",
                REFERENCES, runs);
        System.out.printf("java %s, %d processors%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        // warm-up: let the JIT compile the scoring loops before anything is timed
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        int warmups = 0;
        while (System.nanoTime() < warmUntil || warmups < 5) {
            CaptionEvaluation.evaluate(all.ids(), all.candidates(), all.references());
            warmups++;
        }

        System.out.printf("%8s %10s %12s %12s   %s%n", "images", "median ms", "images/s", "ms/image", "CIDEr");
        for (int size : SIZES) {
            SyntheticSet set = all.first(size);
            double[] millis = new double[runs];
            double cider = 0;
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                CaptionScores<Long> scores = CaptionEvaluation.evaluate(set.ids(), set.candidates(), set.references());
                millis[r] = (System.nanoTime() - start) / 1e6;
                cider = scores.corpus("CIDEr");
            }
            Arrays.sort(millis);
            double median = millis[runs / 2];
            System.out.printf("%8d %10.1f %12.0f %12.4f   %.6f%n", size, median, size / (median / 1000), median / size, cider);
        }
    }
}
