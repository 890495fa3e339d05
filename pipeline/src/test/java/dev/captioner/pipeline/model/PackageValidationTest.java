package dev.captioner.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.text.Vocabulary;
import dev.captioner.decoder.CaptionDecoder;
import dev.captioner.decoder.cell.CellType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a package can be wrong gives one line that names the package, the file and the problem. */
class PackageValidationTest {
    private static final Vocabulary VOCABULARY = Vocabulary.build(List.of(
            List.of("a", "red", "circle", "above", "a", "blue", "square"),
            List.of("two", "green", "triangles")), 1);

    @TempDir
    static Path made;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePackages() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionDecoder decoder = TinyModels.decoder(TinyModels.config(CellType.LSTM, true, VOCABULARY.size()), manager, 2);
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, VOCABULARY).write(made.resolve("model"));
            ModelPackage.writer().setEncoder(TinyModels.ENCODER).setDecoder(decoder, VOCABULARY).write(made.resolve("model.zip"));
        }
    }

    /** A fresh copy of the good package: "folder" or "zip". */
    private Path copy(String layout) throws IOException {
        if (layout.equals("zip")) {
            return Files.copy(made.resolve("model.zip"), dir.resolve("model.zip"));
        }
        Path to = Files.createDirectories(dir.resolve("model"));
        try (var files = Files.list(made.resolve("model"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** How messages name a file of the package. */
    private static String shown(Path pkg, String name) {
        return Files.isDirectory(pkg) ? pkg.resolve(name).toString() : pkg + "!/" + name;
    }

    private static String loadError(Path pkg) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> ModelPackage.load(pkg).close());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(pkg.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theGoodPackagesLoad() throws IOException {
        for (String name : new String[] {"model", "model.zip"}) {
            try (ModelPackage loaded = ModelPackage.load(made.resolve(name))) {
                assertEquals(VOCABULARY.words(), loaded.vocabulary().words());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "zip"})
    void aMissingFileIsNamed(String layout) throws IOException {
        Path pkg = copy(layout);
        PackageEdits.delete(pkg, ModelPackage.VOCABULARY_FILE);
        assertEquals(pkg + ": missing vocab.json (an incomplete model package)", loadError(pkg));
        PackageEdits.delete(pkg, ModelPackage.CONFIG_FILE);
        assertEquals(pkg + ": missing config.json (not a model package)", loadError(pkg));
    }

    @Test
    void somethingThatIsNoPackageIsSaidToBeNone() throws IOException {
        Path none = dir.resolve("none.zip");
        assertEquals(none + ": no such model package (expected a folder or a .zip file)", loadError(none));
        Files.writeString(none, "not a zip");
        assertTrue(loadError(none).startsWith(none + ": not a readable zip file ("));
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "zip"})
    void aVocabularyFromAnotherModelIsRefused(String layout) throws IOException {
        Path pkg = copy(layout);
        Vocabulary other = Vocabulary.build(List.of(List.of("one", "yellow", "star")), 1);
        Path file = Files.createTempFile(dir, "vocab", ".json");
        other.save(file);
        byte[] bytes = Files.readAllBytes(file);
        PackageEdits.edit(pkg, ModelPackage.VOCABULARY_FILE, old -> bytes);
        assertEquals(shown(pkg, "vocab.json") + ": 7 words, but the model was trained with " + VOCABULARY.size()
                + " (config.json): a vocabulary from another model", loadError(pkg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "zip"})
    void aNewerFormatIsRefused(String layout) throws IOException {
        Path pkg = copy(layout);
        PackageEdits.editConfig(pkg, root -> root.put("format", "captioner-model/2"));
        assertEquals(shown(pkg, "config.json") + ": format captioner-model/2 was written by a newer captioner;"
                + " this version reads captioner-model/1", loadError(pkg));
        PackageEdits.editConfig(pkg, root -> root.put("format", "captioner-checkpoint/1"));
        assertEquals(shown(pkg, "config.json") + ": unknown format \"captioner-checkpoint/1\" (this version reads captioner-model/1)",
                loadError(pkg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "zip"})
    void aWeightOfTheWrongShapeIsNamedWithBothShapes(String layout) throws IOException {
        Path pkg = copy(layout);
        String[] changed = new String[1];
        try (NDManager manager = NDManager.newBaseManager()) {
            PackageEdits.edit(pkg, ModelPackage.DECODER_FILE, bytes -> {
                NDList tensors = NDList.decode(manager, bytes);
                NDList out = new NDList();
                for (NDArray tensor : tensors) {
                    if (tensor.getName().equals("fc.weight")) {
                        changed[0] = tensor.getName();
                        NDArray wider = manager.zeros(new ai.djl.ndarray.types.Shape(tensor.getShape().get(0), 33));
                        wider.setName(tensor.getName());
                        out.add(wider);
                    } else {
                        out.add(tensor);
                    }
                }
                return out.encode(NDList.Encoding.SAFETENSORS);
            });
        }
        assertEquals(shown(pkg, "decoder.safetensors") + ": shape mismatch for " + changed[0] + ": file (" + VOCABULARY.size()
                + ", 33), config (" + VOCABULARY.size() + ", 32)", loadError(pkg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "zip"})
    void corruptJsonIsPlacedByLineAndColumn(String layout) throws IOException {
        Path pkg = copy(layout);
        PackageEdits.edit(pkg, ModelPackage.CONFIG_FILE, bytes -> Arrays.copyOf(bytes, 60));
        String message = loadError(pkg);
        assertTrue(message.matches("\\Q" + shown(pkg, "config.json") + "\\E:\\d+:\\d+: malformed JSON: .+"), message);
        PackageEdits.edit(pkg, ModelPackage.CONFIG_FILE, bytes -> "{\"format\": \"captioner-model/1\",, }".getBytes(StandardCharsets.UTF_8));
        assertTrue(loadError(pkg).startsWith(shown(pkg, "config.json") + ":1:32: malformed JSON: "), loadError(pkg));
    }

    @Test
    void aDecoderOfAnotherArchitectureIsRefused() throws IOException {
        Path pkg = copy("folder");
        PackageEdits.editConfig(pkg, root -> {
            ((ObjectNode) root.get("decoder")).put("attention", false);
            root.put("decoder_type", "plain-lstm");
        });
        String message = loadError(pkg);
        assertTrue(message.startsWith(shown(pkg, "decoder.safetensors")
                + ": architecture mismatch: the weights do not fit the config's plain-lstm decoder (unexpected "), message);

        PackageEdits.editConfig(pkg, root -> root.put("decoder_type", "att-gru"));
        assertEquals(shown(pkg, "config.json") + ": architecture mismatch: \"decoder_type\" is att-gru but the decoder's fields"
                + " describe plain-lstm", loadError(pkg));

        PackageEdits.editConfig(pkg, root -> ((ObjectNode) root.get("decoder")).put("someFutureField", true));
        assertEquals(shown(pkg, "config.json") + ": architecture mismatch: the decoder field \"someFutureField\" is unknown to"
                + " this version", loadError(pkg));

        PackageEdits.editConfig(pkg, root -> {
            ObjectNode decoder = (ObjectNode) root.get("decoder");
            decoder.remove("someFutureField");
            decoder.remove("cell");
        });
        assertEquals(shown(pkg, "config.json") + ": missing \"decoder.cell\"", loadError(pkg));

        PackageEdits.editConfig(pkg, root -> ((ObjectNode) root.get("decoder")).put("cell", "LSTM").put("hiddenSize", 0));
        assertEquals(shown(pkg, "config.json") + ": \"decoder\": hidden size must be at least 1, got 0", loadError(pkg));
    }

    @Test
    void anEncoderOtherThanTheConfigSaysIsRefused() throws IOException {
        Path pkg = copy("zip");
        PackageEdits.editConfig(pkg, root -> {
            ObjectNode encoder = (ObjectNode) root.get("encoder");
            encoder.put("locations", 9);
            encoder.putArray("grid").add(3).add(3);
        });
        assertEquals(shown(pkg, "config.json") + ": architecture mismatch: the encoder resnet18@64 gives 2x2x512 at 64 px (resize 73),"
                + " config.json says 3x3x512 at 64 px (resize 73)", loadError(pkg));

        PackageEdits.editConfig(pkg, root -> {
            ObjectNode encoder = (ObjectNode) root.get("encoder");
            encoder.put("locations", 4);
            encoder.putArray("grid").add(2).add(2);
            encoder.put("identity", "resnet18@64 pretrained sha256:0123456789abcdef");
        });
        assertEquals(shown(pkg, "config.json") + ": the encoder's weights are not those the model was trained on:"
                + " resnet18@64 random-init seed 0, expected resnet18@64 pretrained sha256:0123456789abcdef", loadError(pkg));

        PackageEdits.editConfig(pkg, root -> ((ObjectNode) root.get("encoder")).put("spec", "pretrained:../elsewhere"));
        assertEquals(shown(pkg, "config.json") + ": \"encoder.spec\" pretrained:../elsewhere must name a file inside the package",
                loadError(pkg));
    }
}
