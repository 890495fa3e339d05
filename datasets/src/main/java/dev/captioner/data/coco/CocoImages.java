package dev.captioner.data.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.ImagePaths;
import dev.captioner.data.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code "images"} array that every COCO file (captions, instances) shares: read strictly, written in COCO's field order. */
public final class CocoImages {
    private CocoImages() {}

    /**
     * Reads the array at the reader's position. {@code lineOfId} receives each image's line, for later
     * messages; a repeated id is an error. With {@code sizeRequired}, {@code width} and {@code height}
     * must be there and positive; otherwise a missing size reads as 0.
     */
    public static List<CocoImage> read(JsonReader in, Map<Long, Long> lineOfId, boolean sizeRequired) throws IOException {
        in.startArray("\"images\"");
        List<CocoImage> images = new ArrayList<>();
        while (in.nextObjectInArray("each entry of \"images\"")) {
            long line = in.line();
            long column = in.column();
            Long id = null;
            String fileName = null;
            Integer width = null;
            Integer height = null;
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "id": id = in.readLong("id"); break;
                    case "file_name": fileName = in.readString("file_name"); break;
                    case "width": width = in.readInt("width"); break;
                    case "height": height = in.readInt("height"); break;
                    default: in.skipValue();
                }
            }
            if (id == null) {
                throw new DataFormatException(in.file(), line, column, "image entry has no \"id\"");
            }
            if (fileName == null) {
                throw new DataFormatException(in.file(), line, column, "image " + id + " has no \"file_name\"");
            }
            String outside = ImagePaths.problem(fileName);
            if (outside != null) {
                throw new DataFormatException(in.file(), line, column, "image " + id + ": \"file_name\" \"" + fileName + "\" " + outside);
            }
            if (sizeRequired && (width == null || height == null)) {
                throw new DataFormatException(in.file(), line, column, "image " + id + " needs \"width\" and \"height\"");
            }
            if (sizeRequired && (width <= 0 || height <= 0)) {
                throw new DataFormatException(in.file(), line, column, "image " + id + " has an empty size " + width + "x" + height);
            }
            if (lineOfId.putIfAbsent(id, line) != null) {
                throw new DataFormatException(in.file(), line, column, "image id " + id + " appears twice in \"images\"");
            }
            images.add(new CocoImage(id, fileName, width == null ? 0 : width, height == null ? 0 : height));
        }
        return images;
    }

    /** Writes the {@code "images"} field and its array. */
    public static void write(JsonGenerator json, List<CocoImage> images) throws IOException {
        json.writeArrayFieldStart("images");
        for (CocoImage image : images) {
            json.writeStartObject();
            json.writeNumberField("id", image.id());
            json.writeStringField("file_name", image.fileName());
            json.writeNumberField("width", image.width());
            json.writeNumberField("height", image.height());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
