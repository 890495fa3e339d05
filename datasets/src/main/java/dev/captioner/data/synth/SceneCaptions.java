package dev.captioner.data.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Describes scenes in plain lowercase English, with no punctuation, so {@link
 * dev.captioner.data.text.CaptionTokenizer} leaves every word as it is. Every caption is true of its
 * scene: counts are exact, each object named exists (colour and shape name one object), positions are
 * the objects' grid cells, and relations hold by {@link Relation}'s margin.
 *
 * <p>{@link #sample} gives {@value #PER_IMAGE} distinct captions from distinct templates, the templates
 * in a random order, so that across a dataset every template is about equally common.
 */
public final class SceneCaptions {
    /** Reference captions per image, as in COCO. */
    public static final int PER_IMAGE = 5;

    private static final String[] NUMBERS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    private SceneCaptions() {}

    /** {@value #PER_IMAGE} distinct captions of the scene from distinct templates; the same generator state gives the same captions. */
    public static List<SceneCaption> sample(Scene scene, SplittableRandom random) {
        CaptionTemplate[] order = CaptionTemplate.values().clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            CaptionTemplate swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<SceneCaption> captions = new ArrayList<>(PER_IMAGE);
        Set<String> seen = new LinkedHashSet<>();
        for (CaptionTemplate template : order) {
            String text = render(template, scene, random);
            if (text != null && seen.add(text)) {
                captions.add(new SceneCaption(template, text));
                if (captions.size() == PER_IMAGE) {
                    return captions;
                }
            }
        }
        throw new IllegalStateException("scene " + scene.index() + " gave only " + captions.size() + " distinct captions");
    }

    /** The template filled in for the scene, or null where it does not fit (a relation with one object). */
    public static String render(CaptionTemplate template, Scene scene, SplittableRandom random) {
        List<SceneObject> objects = scene.objects();
        int n = objects.size();
        switch (template) {
            case COUNT:
                return n == 1 ? "there is one shape" : "there are " + number(n) + " shapes";
            case LIST: {
                List<String> items = new ArrayList<>(n);
                for (SceneObject object : objects) {
                    items.add(indefinite(object.describe()));
                }
                return list(items);
            }
            case COUNT_INCLUDING: {
                SceneObject object = pick(objects, random);
                return n == 1 ? "a single " + name(object) : number(n) + " shapes including " + indefinite(name(object));
            }
            case POSITION: {
                SceneObject object = pick(objects, random);
                return indefinite(name(object)) + " " + object.position().phrase();
            }
            case WHERE: {
                SceneObject object = pick(objects, random);
                return "the " + object.describe() + " is " + object.position().phrase();
            }
            case POSITIONS: {
                if (n < 2) {
                    return null;
                }
                int i = random.nextInt(n);
                int j = (i + 1 + random.nextInt(n - 1)) % n;
                SceneObject first = objects.get(Math.min(i, j));
                SceneObject second = objects.get(Math.max(i, j));
                return indefinite(name(first)) + " " + first.position().phrase() + " and "
                        + indefinite(name(second)) + " " + second.position().phrase();
            }
            case RELATION: {
                Related r = pickRelated(scene, random);
                return r == null ? null : "the " + name(r.a()) + " is " + r.relation().phrase() + " the " + name(r.b());
            }
            case SIZED_RELATION: {
                Related r = pickRelated(scene, random);
                return r == null ? null : indefinite(r.a().describe()) + " " + r.relation().phrase() + " " + indefinite(r.b().describe());
            }
            case COUNT_RELATION: {
                Related r = pickRelated(scene, random);
                return r == null ? null
                        : number(n) + " shapes with the " + name(r.a()) + " " + r.relation().phrase() + " the " + name(r.b());
            }
            case SIZE_COUNT:
                return counts(objects, o -> o.size().word(), w -> w + " shape", w -> w + " shapes");
            case COLOUR_COUNT:
                return counts(objects, o -> o.colour().word(), w -> w + " shape", w -> w + " shapes");
            case SHAPE_COUNT:
                return counts(objects, o -> o.shape().word(), w -> w, w -> Shape.fromWord(w).plural());
            default:
                throw new AssertionError(template);
        }
    }

    /** The number word for 1 to 9: {@code three}. */
    public static String number(int n) {
        if (n < 1 || n >= NUMBERS.length) {
            throw new IllegalArgumentException("no number word for " + n);
        }
        return NUMBERS[n];
    }

    /** Colour and shape, which name one object of a scene: {@code red circle}. */
    static String name(SceneObject object) {
        return object.colour().word() + " " + object.shape().word();
    }

    /** {@code a} or {@code an} before the phrase. */
    static String indefinite(String phrase) {
        return ("aeiou".indexOf(phrase.charAt(0)) >= 0 ? "an " : "a ") + phrase;
    }

    /** {@code x}, {@code x and y}, {@code x y and z}. */
    static String list(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(" ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String counts(List<SceneObject> objects, Function<SceneObject, String> key,
            Function<String, String> singular, Function<String, String> plural) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SceneObject object : objects) {
            counts.merge(key.apply(object), 1, Integer::sum);
        }
        List<String> items = new ArrayList<>(counts.size());
        counts.forEach((word, count) -> items.add(number(count) + " " + (count == 1 ? singular.apply(word) : plural.apply(word))));
        return list(items);
    }

    private static SceneObject pick(List<SceneObject> objects, SplittableRandom random) {
        return objects.get(random.nextInt(objects.size()));
    }

    private static Related pickRelated(Scene scene, SplittableRandom random) {
        List<Related> related = new ArrayList<>();
        for (SceneObject a : scene.objects()) {
            for (SceneObject b : scene.objects()) {
                if (a != b) {
                    Relation relation = scene.relation(a, b);
                    if (relation != null) {
                        related.add(new Related(a, relation, b));
                    }
                }
            }
        }
        return related.isEmpty() ? null : related.get(random.nextInt(related.size()));
    }

    /** {@code a} lies {@code relation} {@code b}. */
    private record Related(SceneObject a, Relation relation, SceneObject b) {}
}
