package dev.captioner.pipeline;

import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.CocoCaptions;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.KarpathyImage;
import dev.captioner.data.coco.KarpathySentence;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.CaptionTokenizer;
import dev.captioner.data.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The captioned images a command learns from: a split (train and val images with their captions) and
 * where each image's file is. Read from a Karpathy split file, or from two COCO captions files (train and
 * val) made into the same split in memory.
 *
 * @param label names the source in messages
 * @param split the images; {@code train} (with {@code restval}) is trained on, {@code val} validated on
 * @param files image id to file, in the split's order
 */
public record DatasetInput(String label, KarpathySplit split, Map<Long, Path> files) {

    /** A Karpathy split file; its {@code filepath/filename} are relative to {@code imageRoot}. */
    public static DatasetInput karpathy(Path splitFile, Path imageRoot) throws IOException {
        KarpathySplit split = KarpathySplit.read(splitFile);
        return new DatasetInput(splitFile.toString(), split, FeatureExtraction.imageFiles(split.images(), imageRoot));
    }

    /**
     * COCO captions files of the train and val images; each {@code file_name} is relative to its split's
     * image folder. Captions are tokenised as Karpathy's preprocessing does.
     */
    public static DatasetInput coco(Path trainCaptions, Path trainImages, Path valCaptions, Path valImages) throws IOException {
        List<KarpathyImage> images = new ArrayList<>();
        Map<Long, Path> files = new LinkedHashMap<>();
        addCoco(trainCaptions, "train", trainImages, images, files);
        addCoco(valCaptions, "val", valImages, images, files);
        return new DatasetInput(trainCaptions + " + " + valCaptions, new KarpathySplit("coco", images), files);
    }

    private static void addCoco(Path file, String split, Path root, List<KarpathyImage> images, Map<Long, Path> files)
            throws IOException {
        CocoCaptions coco = CocoCaptions.read(file);
        Map<Long, List<String>> captions = coco.captionsByImage();
        for (CocoImage image : coco.images()) {
            if (files.containsKey(image.id())) {
                throw new DataFormatException(file, "image id " + image.id() + " is also in the train captions; train and val"
                        + " images must differ");
            }
            List<KarpathySentence> sentences = new ArrayList<>();
            for (String raw : captions.get(image.id())) {
                List<String> tokens = CaptionTokenizer.tokenize(raw);
                if (tokens.isEmpty()) {
                    throw new DataFormatException(file, "caption \"" + raw + "\" of image " + image.id() + " has no words");
                }
                sentences.add(new KarpathySentence(tokens, raw));
            }
            images.add(new KarpathyImage(image.id(), "", image.fileName(), split, sentences));
            files.put(image.id(), root.resolve(image.fileName()));
        }
    }

    /** The same input without the images {@code keep} refuses (e.g. files that could not be read). */
    public DatasetInput retain(LongPredicate keep) {
        List<KarpathyImage> kept = split.images().stream().filter(image -> keep.test(image.id())).toList();
        Map<Long, Path> keptFiles = new LinkedHashMap<>();
        kept.forEach(image -> keptFiles.put(image.id(), files.get(image.id())));
        return new DatasetInput(label, new KarpathySplit(split.dataset(), kept), keptFiles);
    }

    /** The split file itself, or the one {@code dataset_*.json} in a folder (as {@code captioner synth} writes). */
    public static Path splitFile(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return data;
        }
        List<Path> found;
        try (Stream<Path> files = Files.list(data)) {
            found = files.filter(f -> f.getFileName().toString().matches("dataset_.*\\.json")).sorted().collect(Collectors.toList());
        }
        if (found.size() != 1) {
            throw new DataFormatException(data, found.isEmpty() ? "no dataset_*.json split file in this folder"
                    : "more than one dataset_*.json here (" + found.size() + "); name the split file itself");
        }
        return found.get(0);
    }

    /** The vocabulary of the training captions ({@code train} and {@code restval}): words seen at least {@code minWordCount} times. */
    public static Vocabulary trainingVocabulary(KarpathySplit split, int minWordCount) {
        List<List<String>> tokens = new ArrayList<>();
        for (KarpathyImage image : split.split("train")) {
            for (KarpathySentence sentence : image.sentences()) {
                tokens.add(sentence.tokens());
            }
        }
        return Vocabulary.build(tokens, minWordCount);
    }
}
