package dev.captioner.data.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.ImagePaths;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import dev.captioner.data.text.CaptionTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Karpathy split file ({@code dataset_coco.json} of Karpathy and Fei-Fei 2015): {@code {"images":
 * [{filepath, filename, split, sentences: [{tokens, raw}], cocoid | imgid}], "dataset": "coco"}}. The
 * split is one of {@code train}, {@code restval}, {@code val}, {@code test}; {@code restval} is
 * conventionally trained on.
 */
public final class KarpathySplit {
    public static final Set<String> SPLITS = Set.of("train", "restval", "val", "test");

    private final String dataset;
    private final List<KarpathyImage> images;

    public KarpathySplit(String dataset, List<KarpathyImage> images) {
        this.dataset = dataset;
        this.images = List.copyOf(images);
    }

    public String dataset() {
        return dataset;
    }

    public List<KarpathyImage> images() {
        return images;
    }

    /** The images of one split; {@code train} includes {@code restval}, as Karpathy's own code trains on both. */
    public List<KarpathyImage> split(String name) {
        List<KarpathyImage> selected = new ArrayList<>();
        for (KarpathyImage image : images) {
            if (image.split().equals(name) || (name.equals("train") && image.split().equals("restval"))) {
                selected.add(image);
            }
        }
        return selected;
    }

    /** One split as a COCO captions file (raw sentences as captions), e.g. the references for scoring. */
    public CocoCaptions toCocoCaptions(String split, int width, int height) {
        List<CocoImage> cocoImages = new ArrayList<>();
        List<CocoCaption> captions = new ArrayList<>();
        long captionId = 1;
        for (KarpathyImage image : split(split)) {
            cocoImages.add(new CocoImage(image.id(), image.relativePath(), width, height));
            for (KarpathySentence sentence : image.sentences()) {
                captions.add(new CocoCaption(captionId++, image.id(), sentence.raw()));
            }
        }
        return new CocoCaptions(cocoImages, captions);
    }

    /**
     * Reads and checks a Karpathy split file. A sentence needs {@code raw}; where {@code tokens} is
     * missing it is made with {@link CaptionTokenizer}, which follows Karpathy's own preprocessing.
     */
    public static KarpathySplit read(Path file) throws IOException {
        String dataset = "";
        List<KarpathyImage> images = null;
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("the top level of a Karpathy split file");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "images": images = readImages(in); break;
                    case "dataset": dataset = in.readString("dataset"); break;
                    default: in.skipValue();
                }
            }
            in.expectEnd();
        }
        if (images == null) {
            throw new DataFormatException(file, "missing field \"images\" (a Karpathy split file has \"images\" with \"sentences\")");
        }
        return new KarpathySplit(dataset, images);
    }

    private static List<KarpathyImage> readImages(JsonReader in) throws IOException {
        in.startArray("\"images\"");
        List<KarpathyImage> images = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        while (in.nextObjectInArray("each entry of \"images\"")) {
            long line = in.line();
            long column = in.column();
            Long cocoId = null;
            Long imgId = null;
            String filepath = "";
            String filename = null;
            String split = null;
            List<KarpathySentence> sentences = null;
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "cocoid": cocoId = in.readLong("cocoid"); break;
                    case "imgid": imgId = in.readLong("imgid"); break;
                    case "filepath": filepath = in.readString("filepath"); break;
                    case "filename": filename = in.readString("filename"); break;
                    case "split": split = in.readString("split"); break;
                    case "sentences": sentences = readSentences(in); break;
                    default: in.skipValue();
                }
            }
            Long id = cocoId != null ? cocoId : imgId;
            String name = filename != null ? "image \"" + filename + "\"" : "image entry";
            if (id == null) {
                throw new DataFormatException(in.file(), line, column, name + " has neither \"cocoid\" nor \"imgid\"");
            }
            if (filename == null) {
                throw new DataFormatException(in.file(), line, column, "image " + id + " has no \"filename\"");
            }
            String path = filepath.isEmpty() ? filename : filepath + "/" + filename;
            String outside = ImagePaths.problem(path);
            if (outside != null) {
                throw new DataFormatException(in.file(), line, column, "image " + id + ": \"filepath/filename\" \"" + path + "\" " + outside);
            }
            if (split == null) {
                throw new DataFormatException(in.file(), line, column, name + " has no \"split\"");
            }
            if (!SPLITS.contains(split)) {
                throw new DataFormatException(in.file(), line, column, name + " has unknown split \"" + split
                        + "\" (expected train, restval, val or test)");
            }
            if (sentences == null || sentences.isEmpty()) {
                throw new DataFormatException(in.file(), line, column, name + " has no captions (\"sentences\")");
            }
            if (!ids.add(id)) {
                throw new DataFormatException(in.file(), line, column, "image id " + id + " appears twice");
            }
            images.add(new KarpathyImage(id, filepath, filename, split, sentences));
        }
        return images;
    }

    private static List<KarpathySentence> readSentences(JsonReader in) throws IOException {
        in.startArray("\"sentences\"");
        List<KarpathySentence> sentences = new ArrayList<>(5);
        while (in.nextObjectInArray("each sentence")) {
            long line = in.line();
            long column = in.column();
            List<String> tokens = null;
            String raw = null;
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "tokens": tokens = in.readStringArray("tokens"); break;
                    case "raw": raw = in.readString("raw"); break;
                    default: in.skipValue();
                }
            }
            if (raw == null) {
                throw new DataFormatException(in.file(), line, column, "sentence has no \"raw\" text");
            }
            if (tokens == null) {
                tokens = CaptionTokenizer.tokenize(raw);
            }
            if (raw.isBlank() || tokens.isEmpty()) {
                throw new DataFormatException(in.file(), line, column, "empty caption");
            }
            sentences.add(new KarpathySentence(tokens, raw));
        }
        return sentences;
    }

    /** Writes the file atomically, with Karpathy's fields ({@code imgid} is the index, {@code sentid} runs over all). */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.writeStartObject();
                json.writeArrayFieldStart("images");
                long sentId = 0;
                for (int imgId = 0; imgId < images.size(); imgId++) {
                    KarpathyImage image = images.get(imgId);
                    json.writeStartObject();
                    json.writeStringField("filepath", image.filepath());
                    json.writeStringField("filename", image.filename());
                    json.writeNumberField("imgid", imgId);
                    json.writeNumberField("cocoid", image.id());
                    json.writeStringField("split", image.split());
                    json.writeArrayFieldStart("sentids");
                    for (int s = 0; s < image.sentences().size(); s++) {
                        json.writeNumber(sentId + s);
                    }
                    json.writeEndArray();
                    json.writeArrayFieldStart("sentences");
                    for (KarpathySentence sentence : image.sentences()) {
                        json.writeStartObject();
                        json.writeArrayFieldStart("tokens");
                        for (String token : sentence.tokens()) {
                            json.writeString(token);
                        }
                        json.writeEndArray();
                        json.writeStringField("raw", sentence.raw());
                        json.writeNumberField("imgid", imgId);
                        json.writeNumberField("sentid", sentId++);
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeStringField("dataset", dataset);
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }
}
