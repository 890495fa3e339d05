package dev.captioner.data.coco;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO captions file: {@code {"images": [{id, file_name, width, height}], "annotations": [{id,
 * image_id, caption}]}}, as in {@code captions_train2014.json}. Other top-level fields ({@code info},
 * {@code licenses}) are skipped on read.
 *
 * <p>Reading is strict: every image needs at least one non-empty caption and every caption an image,
 * because a reference set with holes would silently change every metric computed on it.
 */
public final class CocoCaptions {
    private final List<CocoImage> images;
    private final List<CocoCaption> annotations;

    public CocoCaptions(List<CocoImage> images, List<CocoCaption> annotations) {
        this.images = List.copyOf(images);
        this.annotations = List.copyOf(annotations);
    }

    public List<CocoImage> images() {
        return images;
    }

    public List<CocoCaption> annotations() {
        return annotations;
    }

    /** The reference captions of each image, in the order of {@link #images()}. */
    public Map<Long, List<String>> captionsByImage() {
        Map<Long, List<String>> byImage = new LinkedHashMap<>(images.size() * 2);
        for (CocoImage image : images) {
            byImage.put(image.id(), new ArrayList<>(5));
        }
        for (CocoCaption caption : annotations) {
            byImage.get(caption.imageId()).add(caption.caption());
        }
        byImage.replaceAll((id, captions) -> Collections.unmodifiableList(captions));
        return byImage;
    }

    /** Reads and checks a COCO captions file. */
    public static CocoCaptions read(Path file) throws IOException {
        List<CocoImage> images = null;
        List<CocoCaption> annotations = null;
        Map<Long, Long> imageLines = new HashMap<>();
        long annotationsLine = 0;
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("the top level of a COCO captions file");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "images":
                        images = CocoImages.read(in, imageLines, false);
                        break;
                    case "annotations":
                        annotationsLine = in.line();
                        annotations = readAnnotations(in, imageLines);
                        break;
                    default:
                        in.skipValue();
                }
            }
            in.expectEnd();
            if (images == null) {
                throw new DataFormatException(file, "missing field \"images\" (a COCO captions file has \"images\" and \"annotations\")");
            }
            if (annotations == null) {
                throw new DataFormatException(file, "missing field \"annotations\" (a COCO captions file has \"images\" and \"annotations\")");
            }
            checkEveryImageHasCaptions(in, images, annotations, imageLines);
        }
        return new CocoCaptions(images, annotations);
    }

    private static List<CocoCaption> readAnnotations(JsonReader in, Map<Long, Long> imageLines) throws IOException {
        in.startArray("\"annotations\"");
        List<CocoCaption> annotations = new ArrayList<>();
        long nextId = 1;
        while (in.nextObjectInArray("each entry of \"annotations\"")) {
            long line = in.line();
            long column = in.column();
            Long id = null;
            Long imageId = null;
            String caption = null;
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "id": id = in.readLong("id"); break;
                    case "image_id": imageId = in.readLong("image_id"); break;
                    case "caption": caption = in.readString("caption"); break;
                    default: in.skipValue();
                }
            }
            if (imageId == null) {
                throw new DataFormatException(in.file(), line, column, "caption entry has no \"image_id\"");
            }
            if (caption == null) {
                throw new DataFormatException(in.file(), line, column, "caption entry for image " + imageId + " has no \"caption\"");
            }
            if (caption.isBlank()) {
                throw new DataFormatException(in.file(), line, column, "empty caption for image " + imageId);
            }
            long captionId = id != null ? id : nextId;
            nextId = Math.max(nextId, captionId + 1);
            annotations.add(new CocoCaption(captionId, imageId, caption));
        }
        return annotations;
    }

    private static void checkEveryImageHasCaptions(JsonReader in, List<CocoImage> images, List<CocoCaption> annotations,
            Map<Long, Long> imageLines) throws DataFormatException {
        Map<Long, Integer> counts = new HashMap<>(images.size() * 2);
        for (CocoCaption caption : annotations) {
            if (!imageLines.containsKey(caption.imageId())) {
                throw new DataFormatException(in.file(), "caption " + caption.id() + " refers to image "
                        + caption.imageId() + ", which is not in \"images\"");
            }
            counts.merge(caption.imageId(), 1, Integer::sum);
        }
        for (CocoImage image : images) {
            if (!counts.containsKey(image.id())) {
                throw in.errorAtLine(imageLines.get(image.id()), "image " + image.id() + " (" + image.fileName() + ") has no captions");
            }
        }
    }

    /** Writes the file atomically, compact, with fields in COCO's order. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.writeStartObject();
                CocoImages.write(json, images);
                json.writeArrayFieldStart("annotations");
                for (CocoCaption caption : annotations) {
                    json.writeStartObject();
                    json.writeNumberField("id", caption.id());
                    json.writeNumberField("image_id", caption.imageId());
                    json.writeStringField("caption", caption.caption());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }
}
