package dev.captioner.app;

import dev.captioner.data.DataFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model that ships with captioner ({@code models/synth-att-lstm}), carried inside the jar so that
 * {@code java -jar captioner.jar caption photo.jpg} works from any folder, and wherever the jar is
 * copied. The build puts the repository's {@code models/} on the class path; a package is read in place
 * (a folder of the class path, or the jar's own zip file system), nothing is extracted.
 */
final class BundledModel {
    /** The package's name, as the repository's {@code models/} folder holds it. */
    static final String NAME = "synth-att-lstm";
    /** How help texts and messages call it. */
    static final String LABEL = "the bundled " + NAME;

    private BundledModel() {}

    /**
     * The package's folder on the class path.
     *
     * @throws DataFormatException with one line where this build carries no bundled model
     */
    static Path locate() throws IOException {
        URL url = BundledModel.class.getResource("/models/" + NAME + "/config.json");
        if (url == null) {
            throw new DataFormatException(Path.of("models", NAME), "this build carries no bundled model; name a package with --model");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of()); // open for the life of the process: the package is read through it
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // opened by an earlier call
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException e) {
            throw new IOException("the bundled model's place cannot be read: " + url, e);
        }
    }
}
