package dev.captioner.spark;

import dev.captioner.data.synth.SynthScenes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Synth-scenes images made by the library, with bad files among them: an empty file, a truncated JPEG and a
 * text file, all named {@code .jpg} so that the job's file filter takes them.
 *
 * @param data    the synth-scenes folder (images under {@code images/}, the COCO captions files beside)
 * @param good    the images that decode, in name order
 * @param bad     the files that do not
 */
record TestImages(Path data, List<Path> good, List<Path> bad) {
    static final int COUNT = 30;

    static TestImages write(Path dir) throws IOException {
        SynthScenes.builder().setImages(COUNT).optSeed(14).build().write(dir, done -> { });
        Path images = dir.resolve(SynthScenes.IMAGE_DIR);
        List<Path> good;
        try (Stream<Path> files = Files.list(images)) {
            good = files.sorted().toList();
        }
        Path empty = Files.write(images.resolve("empty.jpg"), new byte[0]);
        byte[] whole = Files.readAllBytes(good.get(0));
        Path truncated = Files.write(images.resolve("truncated.jpg"), java.util.Arrays.copyOf(whole, whole.length / 3));
        Path text = Files.write(images.resolve("notes.jpg"), "not an image, a note\n".getBytes(StandardCharsets.UTF_8));
        return new TestImages(dir, good, List.of(empty, truncated, text));
    }

    Path imageDir() {
        return data.resolve(SynthScenes.IMAGE_DIR);
    }
}
