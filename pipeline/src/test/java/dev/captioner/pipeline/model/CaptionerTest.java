package dev.captioner.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.coco.KarpathySplit;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import dev.captioner.decoder.search.Captions;
import dev.captioner.decoder.search.Ensemble;
import dev.captioner.decoder.search.GreedySearch;
import dev.captioner.encoder.FeatureExtractor;
import dev.captioner.encoder.image.ImageDecodeException;
import dev.captioner.encoder.image.ImageFailure;
import dev.captioner.encoder.image.ImageInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's front door on real image files written by the synth-scenes generator. */
class CaptionerTest {
    @TempDir
    static Path data;

    static List<Path> images;
    static Captioner captioner;

    @BeforeAll
    static void makeImagesAndAPackage() throws IOException {
        KarpathySplit split = TinyModels.scenes(data, 5, 9);
        images = TinyModels.files(data, split);
        Vocabulary vocabulary = TinyModels.vocabulary(split);
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.LSTM, true, vocabulary.size()), manager, 4);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(data.resolve("model.zip"));
        }
        captioner = Captioner.load(data.resolve("model.zip"), Captioner.Options.builder().optMaxLength(10).optBatchSize(2).build());
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    @Test
    void aJpegFileGetsACaptionWithAnAttentionGridPerWord() throws IOException {
        CaptionResult result = captioner.caption(images.get(0));
        assertEquals(images.get(0), result.image());
        assertEquals(1, result.captions().size(), "greedy search gives one caption");
        assertTrue(!result.words().isEmpty() && result.words().size() <= 10, result.text());
        assertEquals(String.join(" ", result.words()), result.text());
        assertTrue(result.logProb() < 0 && Double.isFinite(result.logProb()), "log p " + result.logProb());
        assertEquals(result.words().size(), result.attention().size());
        for (float[][] grid : result.attention()) {
            assertEquals(2, grid.length, "ResNet-18 at 64 px: a 2x2 grid");
            assertEquals(2, grid[0].length);
            assertEquals(1.0, grid[0][0] + grid[0][1] + grid[1][0] + grid[1][1], 1e-5, "a distribution over the grid");
        }
    }

    @Test
    void batchesKeepTheOrderOfTheFiles() throws IOException {
        List<CaptionResult> results = captioner.caption(images); // 5 images in batches of 2
        assertEquals(images.size(), results.size());
        for (int i = 0; i < images.size(); i++) {
            assertEquals(images.get(i), results.get(i).image());
        }
    }

    /** Two threads caption at once over one set of weights, and get what one thread alone gets; the copy closes alone. */
    @Test
    void aSharedCopyCaptionsOnAnotherThreadAsTheOriginalDoes() throws Exception {
        List<String> alone = captioner.caption(images).stream().map(CaptionResult::text).toList();
        Captioner copy = captioner.sharedCopy();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                var first = pool.submit(() -> captioner.caption(images));
                var second = pool.submit(() -> copy.caption(images));
                assertEquals(alone, first.get().stream().map(CaptionResult::text).toList());
                assertEquals(alone, second.get().stream().map(CaptionResult::text).toList());
            }
        } finally {
            pool.shutdown();
            copy.close();
        }
        assertEquals(alone, captioner.caption(images).stream().map(CaptionResult::text).toList(),
                "closing the copy leaves the weights loaded");
    }

    @Test
    void aCorruptImageIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("holiday.jpg"), "this is text, not a JPEG");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> captioner.caption(text));
        assertEquals(ImageDecodeException.Kind.NOT_AN_IMAGE, e.kind());
        assertTrue(e.getMessage().startsWith(text + ": not an image"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path cut = dir.resolve("cut.jpg");
        byte[] jpeg = Files.readAllBytes(images.get(1));
        Files.write(cut, java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        ImageDecodeException truncated = assertThrows(ImageDecodeException.class, () -> captioner.caption(List.of(images.get(0), cut)));
        assertEquals(ImageDecodeException.Kind.TRUNCATED, truncated.kind());
        assertTrue(truncated.getMessage().startsWith(cut + ": "), truncated.getMessage());
    }

    @Test
    void unreadableFilesCanBeSkippedAndReported(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path missing = dir.resolve("missing.jpg");
        List<Path> mixed = new ArrayList<>(List.of(images.get(0), empty, images.get(1), missing, images.get(2)));
        CaptionBatch batch = captioner.captionSkippingFailures(mixed);
        assertEquals(List.of(images.get(0), images.get(1), images.get(2)), batch.results().stream().map(CaptionResult::image).toList());
        assertEquals(List.of(empty, missing), batch.failures().stream().map(ImageFailure::file).toList());
        assertEquals(ImageDecodeException.Kind.EMPTY, batch.failures().get(0).kind());
        assertEquals(ImageDecodeException.Kind.MISSING, batch.failures().get(1).kind());
        CaptionBatch none = captioner.captionSkippingFailures(List.of(missing));
        assertTrue(none.results().isEmpty());
        assertEquals(1, none.failures().size());
    }

    @Test
    void imagesHeldInMemoryGetTheCaptionsOfTheirFilesAndBadOnesTheirReasons() throws IOException {
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(images.get(1)), 200);
        List<ImageInput> inputs = List.of(ImageInput.of("upload-0", Files.readAllBytes(images.get(0))),
                ImageInput.of("upload-1", truncated), ImageInput.of(images.get(2)));
        Captioner.Options beam = Captioner.Options.builder().optBeamSize(2).optNBest(2).build();
        CaptionBatch batch = captioner.captionInputs(inputs, beam);
        assertEquals(List.of(inputs.get(0), inputs.get(2)), batch.results().stream().map(CaptionResult::input).toList());
        assertEquals(null, batch.results().get(0).image(), "an image held in memory has no file");
        assertEquals(2, batch.results().get(0).captions().size(), "the search of the options given: beam 2, n-best 2");
        try (Captioner sameBeam = Captioner.load(data.resolve("model.zip"), beam)) {
            assertEquals(sameBeam.caption(images.get(0)).text(), batch.results().get(0).text(), "bytes and file caption alike");
        }
        assertEquals(1, batch.failures().size());
        assertEquals(ImageDecodeException.Kind.TRUNCATED, batch.failures().get(0).kind());
        assertTrue(batch.failures().get(0).message().contains("upload-1"), batch.failures().get(0).message());
    }

    @Test
    void aPlainDecoderCaptionsWithoutAttention(@TempDir Path dir) throws IOException {
        Vocabulary vocabulary = captioner.model().vocabulary();
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.GRU, false, vocabulary.size()), manager, 8);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, vocabulary).write(dir.resolve("plain"));
        }
        try (Captioner plain = Captioner.load(dir.resolve("plain"))) {
            CaptionResult result = plain.caption(images.get(3));
            assertTrue(result.attention().isEmpty());
            assertTrue(Double.isFinite(result.logProb()));
            assertEquals("plain-gru", plain.model().config().decoder().kind());
        }
    }

    @Test
    void beamSearchGivesTheNBestInOrder() throws IOException {
        try (Captioner beam = Captioner.load(data.resolve("model.zip"), Captioner.Options.builder().optBeamSize(3).optNBest(2).build())) {
            CaptionResult result = beam.caption(images.get(0));
            assertEquals(2, result.captions().size());
            assertTrue(result.captions().get(0).logProb() >= result.captions().get(1).logProb(), "best first");
            assertEquals(result.best().words().size(), result.best().attention().size(), "one attention map per word");
        }
        IllegalArgumentException nBest = assertThrows(IllegalArgumentException.class, () ->
                Captioner.Options.builder().optNBest(2).build());
        assertEquals("n-best 2 cannot exceed the beam size 1", nBest.getMessage());
    }

    /** Writes a plain GRU package on the same vocabulary and encoder as the main one, with other weights. */
    private static Path plainPackage(Path dir, String encoder) throws IOException {
        Vocabulary vocabulary = captioner.model().vocabulary();
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.GRU, false, vocabulary.size()), manager, 8);
            return ModelPackage.writer().setEncoder(encoder).setDecoder(decoder, vocabulary).write(dir.resolve("plain-" + encoder));
        }
    }

    /**
     * An ensemble of two searches on the mean of their distributions: the captions are those of
     * {@link Ensemble} run by hand on the features of the one shared encoder, and an ensemble of a package
     * with itself captions as the package alone.
     */
    @Test
    void anEnsembleOfTwoSearchesTheMeanOfTheirDistributions(@TempDir Path dir) throws IOException {
        Path plain = plainPackage(dir, TinyModels.ENCODER);
        Captioner.Options options = Captioner.Options.builder().optMaxLength(10).optBatchSize(images.size()).build();
        try (Captioner both = Captioner.load(List.of(data.resolve("model.zip"), plain), options);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2, both.members().size());
            assertTrue(both.attends(), "the attention member gives attention grids");
            List<CaptionResult> results = both.caption(images);
            FeatureExtractor.Extraction features = both.model().encoder().extract(images, manager);
            Captions direct = new GreedySearch(10).decode(Ensemble.of(both.members().get(0).decoder(), both.members().get(1).decoder()),
                    features.features().grid(), features.features().pooled());
            Vocabulary vocabulary = both.model().vocabulary();
            for (int i = 0; i < images.size(); i++) {
                List<String> words = java.util.Arrays.stream(direct.captions().get(i).words()).mapToObj(vocabulary::word).toList();
                assertEquals(words, results.get(i).words(), "image " + i);
                assertEquals(direct.captions().get(i).logProb(), results.get(i).logProb(), 1e-4);
                assertEquals(results.get(i).words().size(), results.get(i).attention().size());
            }
        }
        try (Captioner twice = Captioner.load(List.of(data.resolve("model.zip"), data.resolve("model.zip")), options);
                Captioner once = Captioner.load(data.resolve("model.zip"), options)) {
            List<CaptionResult> a = twice.caption(images);
            List<CaptionResult> b = once.caption(images);
            for (int i = 0; i < images.size(); i++) {
                assertEquals(b.get(i).words(), a.get(i).words(), "the mean of one distribution is itself");
            }
        }
    }

    @Test
    void anEnsembleRefusesAnotherVocabularyOrEncoderWithOneLine(@TempDir Path dir) throws IOException {
        Path otherEncoder = plainPackage(dir, "resnet18@96");
        DataFormatException encoder = assertThrows(DataFormatException.class,
                () -> Captioner.load(List.of(data.resolve("model.zip"), otherEncoder), Captioner.Options.defaults()));
        assertTrue(encoder.getMessage().startsWith(otherEncoder + ": its encoder is resnet18@96"), encoder.getMessage());
        assertTrue(encoder.getMessage().endsWith("ensemble members must share one encoder, which encodes each image once"),
                encoder.getMessage());
        assertEquals(1, encoder.getMessage().lines().count());

        Vocabulary other = Vocabulary.build(List.of(List.of("an", "entirely", "different", "vocabulary")), 1);
        Path otherWords = dir.resolve("other-words");
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.LSTM, false, other.size()), manager, 3);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, other).write(otherWords);
        }
        DataFormatException words = assertThrows(DataFormatException.class,
                () -> Captioner.load(List.of(data.resolve("model.zip"), otherWords), Captioner.Options.defaults()));
        assertTrue(words.getMessage().startsWith(otherWords + ": "), words.getMessage());
        assertTrue(words.getMessage().endsWith("ensemble members must share one vocabulary"), words.getMessage());
        assertEquals(1, words.getMessage().lines().count());
    }

    /** Sampling draws captions from the model: the same seed draws the same ones, and top-1 sampling is greedy search. */
    @Test
    void samplingDrawsRepeatablyFromTheSeed() throws IOException {
        Captioner.Options.Builder base = Captioner.Options.builder().optMaxLength(10).optBatchSize(2);
        List<List<String>> first;
        try (Captioner sampler = Captioner.load(data.resolve("model.zip"), base.optSampling(new Captioner.Sampling(1.5f, 0, 7)).build())) {
            first = sampler.caption(images).stream().map(CaptionResult::words).toList();
        }
        try (Captioner again = Captioner.load(data.resolve("model.zip"), base.optSampling(new Captioner.Sampling(1.5f, 0, 7)).build());
                Captioner topOne = Captioner.load(data.resolve("model.zip"), base.optSampling(new Captioner.Sampling(1f, 1, 99)).build())) {
            assertEquals(first, again.caption(images).stream().map(CaptionResult::words).toList(), "the same seed, the same draws");
            assertEquals(captioner.caption(images).stream().map(CaptionResult::words).toList(),
                    topOne.caption(images).stream().map(CaptionResult::words).toList(), "top-1 sampling is greedy search");
        }
        IllegalArgumentException beam = assertThrows(IllegalArgumentException.class, () -> Captioner.Options.builder().optBeamSize(3)
                .optSampling(new Captioner.Sampling(1f, 0, 1)).build());
        assertTrue(beam.getMessage().startsWith("sampling draws one caption per image and keeps no beam"), beam.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Captioner.Sampling(0f, 0, 1));
    }
}
