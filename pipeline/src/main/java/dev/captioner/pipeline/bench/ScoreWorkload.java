package dev.captioner.pipeline.bench;

import dev.captioner.metrics.CaptionEvaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map.Entry;
import java.util.Map;
import java.util.Random;

/**
 * Scores a set of {@code images} images with five references each with {@link CaptionEvaluation}
 * (BLEU-1..4, ROUGE-L, CIDEr-D). Run at two sizes, the ms per image shows that scoring is linear.
 */
final class ScoreWorkload implements Workload {
    private static final int REFERENCES = 5;
    private static final int VOCABULARY = 400;
    private static final long SEED = 20240611L;

    private final int images;
    private List<Long> ids;
    private Map<Long, List<String>> candidates;
    private Map<Long, List<String>> references;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    ScoreWorkload(int images) {
        this.images = images;
    }

    @Override
    public String name() {
        return "score-" + images + "x5";
    }

    @Override
    public String description() {
        return "BLEU-1..4, ROUGE-L, CIDEr-D of " + images + " images x 5 references";
    }

    @Override
    public int defaultIterations() {
        return 9;
    }

    @Override
    public int imagesPerIteration() {
        return images;
    }

    /**
     * Captions of 8-14 words over a vocabulary of {@value #VOCABULARY}, drawn with a Zipf-like skew so
     * that common words and n-grams recur across images as in real captions. Each image has a "scene" of
     * words its references share; the candidate is a reference with some words swapped, as a model's
     * caption would be.
     */
    @Override
    public void prepare() {
        Random random = new Random(SEED);
        String[] words = new String[VOCABULARY];
        String[] syllables = {"ba", "ko", "ri", "tu", "me", "sa", "lo", "ni", "da", "fe", "gu", "pi", "zo", "he"};
        for (int w = 0; w < VOCABULARY; w++) {
            words[w] = syllables[w % syllables.length] + syllables[(w / syllables.length) % syllables.length]
                    + (w >= syllables.length * syllables.length ? syllables[w % 5] : "");
        }
        ids = new ArrayList<>(images);
        candidates = new LinkedHashMap<>();
        references = new LinkedHashMap<>();
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
    }

    @Override
    public void iterate() {
        Map<String, Double> scores = CaptionEvaluation.evaluate(ids, candidates, references).toMap();
        for (Entry<String, Double> score : scores.entrySet()) {
            figures.put(score.getKey(), score.getValue());
        }
    }

    @Override
    public Map<String, Object> extraFigures() {
        return figures;
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
}
