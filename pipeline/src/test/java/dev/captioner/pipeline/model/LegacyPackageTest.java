package dev.captioner.pipeline.model;

import dev.captioner.encoder.cache.StorageType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.captioner.decoder.cell.CellType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package saved by an earlier version (captioner-model/1, float16, zip) still loads and says the same. */
class LegacyPackageTest {
    static final long IMAGE_SEED = 77;
    /** What the package said when {@link LegacyPackageFixture} made it (a random decoder repeats itself). */
    static final String CAPTION = String.join(" ", Collections.nCopies(20, "green"));
    static final double LOG_PROB = -23.826;

    @Test
    void theVersion1PackageLoadsAndCaptionsAsItDid(@TempDir Path dir) throws IOException, URISyntaxException {
        Path file = Path.of(LegacyPackageTest.class.getResource("/packages/att-gru-v1.zip").toURI());
        Path image = TinyModels.files(dir, TinyModels.scenes(dir, 1, IMAGE_SEED)).get(0);
        try (Captioner captioner = Captioner.load(file)) {
            PackageConfig config = captioner.model().config();
            assertEquals(StorageType.FLOAT16, config.storage());
            assertEquals(CellType.GRU, config.decoder().cell());
            assertEquals(LegacyPackageFixture.vocabulary().words(), captioner.model().vocabulary().words());
            assertEquals("LegacyPackageFixture", config.provenance().get("made_by"));
            CaptionResult result = captioner.caption(image);
            assertEquals(CAPTION, result.text());
            assertEquals(LOG_PROB, result.logProb(), 1e-3, "every weight counts in the log-probability");
        }
    }
}
