package dev.captioner.data.text;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word ids for the decoder. Ids 0..3 are the special tokens {@code <pad> <start> <end> <unk>}; words
 * seen at least {@code minCount} times in the training captions follow, most frequent first (ties in
 * alphabetical order, so the same captions always give the same ids). Rarer words map to {@code <unk>}.
 */
public final class Vocabulary {
    public static final String FORMAT = "captioner-vocab/1";
    public static final String PAD = "<pad>";
    public static final String START = "<start>";
    public static final String END = "<end>";
    public static final String UNK = "<unk>";
    public static final int PAD_ID = 0;
    public static final int START_ID = 1;
    public static final int END_ID = 2;
    public static final int UNK_ID = 3;
    private static final List<String> SPECIALS = List.of(PAD, START, END, UNK);

    private final List<String> words;
    private final Map<String, Integer> ids;
    private final int minCount;

    private Vocabulary(List<String> words, int minCount) {
        this.words = List.copyOf(words);
        this.minCount = minCount;
        this.ids = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
    }

    /** Builds the vocabulary from tokenised training captions. */
    public static Vocabulary build(Iterable<? extends List<String>> captions, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> caption : captions) {
            for (String token : caption) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() >= minCount && !SPECIALS.contains(entry.getKey())) {
                kept.add(entry);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Integer> entry : kept) {
            words.add(entry.getKey());
        }
        return new Vocabulary(words, minCount);
    }

    /** Ids in use, the specials included. */
    public int size() {
        return words.size();
    }

    public int minCount() {
        return minCount;
    }

    /** The id of a word, {@link #UNK_ID} for a word not in the vocabulary. */
    public int id(String word) {
        Integer id = ids.get(word);
        return id == null ? UNK_ID : id;
    }

    /** True where the word has an id of its own. */
    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** The word of an id. */
    public String word(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException("word id " + id + " is outside the vocabulary of " + words.size());
        }
        return words.get(id);
    }

    /** Every entry, by id. */
    public List<String> words() {
        return Collections.unmodifiableList(words);
    }

    /**
     * Encodes tokenised captions as {@code <start> w1 .. wn <end>}, padded with {@code <pad>} to one
     * width. Captions longer than {@code maxWords} keep their first {@code maxWords} words (the end
     * token is still appended), so every row is at most {@code maxWords + 2} wide.
     */
    public EncodedCaptions encode(List<? extends List<String>> captions, int maxWords) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("maxWords must be at least 1, got " + maxWords);
        }
        int width = 2;
        for (List<String> caption : captions) {
            width = Math.max(width, Math.min(caption.size(), maxWords) + 2);
        }
        int[][] rows = new int[captions.size()][width]; // (B, width), zero = <pad>
        int[] lengths = new int[captions.size()];
        for (int b = 0; b < captions.size(); b++) {
            List<String> caption = captions.get(b);
            int n = Math.min(caption.size(), maxWords);
            rows[b][0] = START_ID;
            for (int t = 0; t < n; t++) {
                rows[b][t + 1] = id(caption.get(t));
            }
            rows[b][n + 1] = END_ID;
            lengths[b] = n + 2;
        }
        return new EncodedCaptions(rows, lengths);
    }

    /** The words of an id sequence: stops at {@code <end>} and leaves out {@code <start>} and {@code <pad>}. */
    public List<String> decode(int[] sequence) {
        List<String> out = new ArrayList<>(sequence.length);
        for (int id : sequence) {
            if (id == END_ID) {
                break;
            }
            if (id != START_ID && id != PAD_ID) {
                out.add(word(id));
            }
        }
        return out;
    }

    /** {@link #decode} joined by spaces. */
    public String decodeToString(int[] sequence) {
        return String.join(" ", decode(sequence));
    }

    /** Saves as JSON ({@code words[i]} is the word of id i), atomically. */
    public void save(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.useDefaultPrettyPrinter();
                json.writeStartObject();
                json.writeStringField("format", FORMAT);
                json.writeNumberField("min_count", minCount);
                json.writeArrayFieldStart("words");
                for (String word : words) {
                    json.writeString(word);
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    /** Loads a saved vocabulary and checks its format and special tokens. */
    public static Vocabulary load(Path file) throws IOException {
        String format = null;
        int minCount = 1;
        List<String> words = null;
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("a vocabulary file");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "format": format = in.readString("format"); break;
                    case "min_count": minCount = in.readInt("min_count"); break;
                    case "words": words = in.readStringArray("words"); break;
                    default: in.skipValue();
                }
            }
            in.expectEnd();
        }
        if (!FORMAT.equals(format)) {
            throw new DataFormatException(file, "not a vocabulary of format " + FORMAT + " (found "
                    + (format == null ? "no \"format\"" : "\"" + format + "\"") + ")");
        }
        if (words == null) {
            throw new DataFormatException(file, "missing field \"words\"");
        }
        if (words.size() < SPECIALS.size() || !words.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new DataFormatException(file, "the first words must be the special tokens " + SPECIALS);
        }
        if (words.stream().distinct().count() != words.size()) {
            throw new DataFormatException(file, "a word appears twice");
        }
        return new Vocabulary(words, minCount);
    }
}
