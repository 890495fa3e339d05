package dev.captioner.data.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO results file: {@code [{"image_id": 42, "caption": "a red circle"}]}, one generated caption per
 * image, as the COCO evaluation server and pycocoevalcap take it.
 */
public final class CocoResults {
    private CocoResults() {}

    /** Reads a results file; a second result for one image is an error. */
    public static List<CocoResult> read(Path file) throws IOException {
        List<CocoResult> results = new ArrayList<>();
        Map<Long, Long> seenAtLine = new HashMap<>();
        try (JsonReader in = JsonReader.open(file)) {
            in.startArray("the top level of a COCO results file");
            while (in.nextObjectInArray("each result")) {
                long line = in.line();
                long column = in.column();
                Long imageId = null;
                String caption = null;
                String field;
                while ((field = in.nextField()) != null) {
                    switch (field) {
                        case "image_id": imageId = in.readLong("image_id"); break;
                        case "caption": caption = in.readString("caption"); break;
                        default: in.skipValue();
                    }
                }
                if (imageId == null) {
                    throw new DataFormatException(file, line, column, "result has no \"image_id\"");
                }
                if (caption == null) {
                    throw new DataFormatException(file, line, column, "result for image " + imageId + " has no \"caption\"");
                }
                if (caption.isBlank()) {
                    throw new DataFormatException(file, line, column, "empty caption for image " + imageId);
                }
                Long earlier = seenAtLine.putIfAbsent(imageId, line);
                if (earlier != null) {
                    throw new DataFormatException(file, line, column, "duplicate result for image " + imageId
                            + " (first at line " + earlier + "); give one caption per image");
                }
                results.add(new CocoResult(imageId, caption));
            }
            in.expectEnd();
        }
        return results;
    }

    /** Writes a results file atomically. */
    public static void write(Path file, List<CocoResult> results) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.writeStartArray();
                for (CocoResult result : results) {
                    json.writeStartObject();
                    json.writeNumberField("image_id", result.imageId());
                    json.writeStringField("caption", result.caption());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeRaw('\n');
            }
        });
    }
}
