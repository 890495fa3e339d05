package dev.captioner.data.synth;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.coco.CocoImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-object annotations of a synth-scenes dataset, {@code instances.json}, laid out like COCO's
 * instances files:
 *
 * <pre>{@code
 * {"info": {"description": "synth-scenes", "format_version": 1},
 *  "images": [{"id": 0, "file_name": "000000.jpg", "width": 224, "height": 224}],
 *  "annotations": [{"id": 1, "image_id": 0, "category_id": 1, "bbox": [12, 30, 41, 41], "area": 1256.64,
 *                   "iscrowd": 0, "colour": "red", "size": "large"}],
 *  "categories": [{"id": 1, "name": "circle"}, ...]}
 * }</pre>
 *
 * {@code bbox} is {@code [x, y, w, h]} in whole pixels, every pixel the object touches; {@code area} is
 * the shape's geometric area in square pixels; {@code category_id} names the shape. {@code iscrowd} is
 * always 0 and is there for COCO tools.
 *
 * <p>Reading is strict: every field above must be there with its type, ids are unique, every
 * annotation's image and category exist, boxes are non-empty and inside their image, and colours,
 * sizes and category names are the generator's words. A file of a newer {@code format_version} is
 * refused. Unknown fields are skipped, as in COCO.
 */
public final class SynthInstances {
    /** The version of the layout above; a reader refuses files with a higher one. */
    public static final int FORMAT_VERSION = 1;

    private final List<CocoImage> images;
    private final List<SynthAnnotation> annotations;

    public SynthInstances(List<CocoImage> images, List<SynthAnnotation> annotations) {
        this.images = List.copyOf(images);
        this.annotations = List.copyOf(annotations);
    }

    public List<CocoImage> images() {
        return images;
    }

    public List<SynthAnnotation> annotations() {
        return annotations;
    }

    /** The annotations of each image, in the order of {@link #images()}; an image without objects maps to an empty list. */
    public Map<Long, List<SynthAnnotation>> annotationsByImage() {
        Map<Long, List<SynthAnnotation>> byImage = new LinkedHashMap<>(images.size() * 2);
        for (CocoImage image : images) {
            byImage.put(image.id(), new ArrayList<>(4));
        }
        for (SynthAnnotation annotation : annotations) {
            byImage.get(annotation.imageId()).add(annotation);
        }
        byImage.replaceAll((id, list) -> List.copyOf(list));
        return byImage;
    }

    /** Writes the file atomically, compact, fields in the order above. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = JsonOutput.generator(out)) {
                json.writeStartObject();
                json.writeObjectFieldStart("info");
                json.writeStringField("description", "synth-scenes");
                json.writeNumberField("format_version", FORMAT_VERSION);
                json.writeEndObject();
                CocoImages.write(json, images);
                json.writeArrayFieldStart("annotations");
                for (SynthAnnotation a : annotations) {
                    json.writeStartObject();
                    json.writeNumberField("id", a.id());
                    json.writeNumberField("image_id", a.imageId());
                    json.writeNumberField("category_id", a.categoryId());
                    json.writeArrayFieldStart("bbox");
                    json.writeNumber(a.bbox().x());
                    json.writeNumber(a.bbox().y());
                    json.writeNumber(a.bbox().width());
                    json.writeNumber(a.bbox().height());
                    json.writeEndArray();
                    json.writeNumberField("area", a.area());
                    json.writeNumberField("iscrowd", 0);
                    json.writeStringField("colour", a.colour().word());
                    json.writeStringField("size", a.size().word());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeArrayFieldStart("categories");
                for (Shape shape : Shape.values()) {
                    json.writeStartObject();
                    json.writeNumberField("id", shape.categoryId());
                    json.writeStringField("name", shape.word());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    /** Reads and checks an instances file. */
    public static SynthInstances read(Path file) throws IOException {
        List<CocoImage> images = null;
        Map<Long, CocoImage> imagesById = new HashMap<>();
        List<RawAnnotation> raw = null;
        Map<Integer, Shape> categories = null;
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("the top level of an instances file");
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "info": readInfo(in); break;
                    case "images":
                        images = CocoImages.read(in, new HashMap<>(), true);
                        for (CocoImage image : images) {
                            imagesById.put(image.id(), image);
                        }
                        break;
                    case "annotations": raw = readAnnotations(in); break;
                    case "categories": categories = readCategories(in); break;
                    default: in.skipValue();
                }
            }
            in.expectEnd();
            if (images == null || raw == null || categories == null) {
                String missing = images == null ? "images" : raw == null ? "annotations" : "categories";
                throw new DataFormatException(file, "missing field \"" + missing
                        + "\" (an instances file has \"images\", \"annotations\" and \"categories\")");
            }
            List<SynthAnnotation> annotations = new ArrayList<>(raw.size());
            for (RawAnnotation a : raw) {
                annotations.add(a.resolve(in, imagesById, categories));
            }
            return new SynthInstances(images, annotations);
        }
    }

    private static void readInfo(JsonReader in) throws IOException {
        in.startObject("\"info\"");
        String field;
        while ((field = in.nextField()) != null) {
            if (field.equals("format_version")) {
                int version = in.readInt("format_version");
                if (version > FORMAT_VERSION) {
                    throw in.error("format_version " + version + " is newer than this reader's " + FORMAT_VERSION
                            + "; use a newer version of the project");
                }
            } else {
                in.skipValue();
            }
        }
    }

    private static Map<Integer, Shape> readCategories(JsonReader in) throws IOException {
        in.startArray("\"categories\"");
        Map<Integer, Shape> categories = new HashMap<>();
        Set<Shape> seen = new HashSet<>();
        while (in.nextObjectInArray("each entry of \"categories\"")) {
            long line = in.line();
            long column = in.column();
            Integer id = null;
            String name = null;
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "id": id = in.readInt("id"); break;
                    case "name": name = in.readString("name"); break;
                    default: in.skipValue();
                }
            }
            if (id == null || name == null) {
                throw new DataFormatException(in.file(), line, column, "a category needs \"id\" and \"name\"");
            }
            Shape shape = Shape.fromWord(name);
            if (shape == null) {
                throw new DataFormatException(in.file(), line, column, "unknown category \"" + name + "\" (expected one of "
                        + List.of(Shape.values()) + ")");
            }
            if (categories.putIfAbsent(id, shape) != null) {
                throw new DataFormatException(in.file(), line, column, "category id " + id + " appears twice");
            }
            if (!seen.add(shape)) {
                throw new DataFormatException(in.file(), line, column, "category \"" + name + "\" appears twice");
            }
        }
        return categories;
    }

    private static List<RawAnnotation> readAnnotations(JsonReader in) throws IOException {
        in.startArray("\"annotations\"");
        List<RawAnnotation> annotations = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        while (in.nextObjectInArray("each entry of \"annotations\"")) {
            RawAnnotation a = new RawAnnotation(in.line(), in.column());
            String field;
            while ((field = in.nextField()) != null) {
                switch (field) {
                    case "id": a.id = in.readLong("id"); break;
                    case "image_id": a.imageId = in.readLong("image_id"); break;
                    case "category_id": a.categoryId = in.readInt("category_id"); break;
                    case "bbox": a.bbox = in.readDoubleArray("bbox"); break;
                    case "area": a.area = in.readDouble("area"); break;
                    case "colour": a.colour = in.readString("colour"); break;
                    case "size": a.size = in.readString("size"); break;
                    default: in.skipValue();
                }
            }
            a.checkFields(in);
            if (!ids.add(a.id)) {
                throw a.error(in, "annotation id " + a.id + " appears twice");
            }
            annotations.add(a);
        }
        return annotations;
    }

    /** An annotation as read, before its image and category can be looked up (they may come later in the file). */
    private static final class RawAnnotation {
        final long line;
        final long column;
        Long id;
        Long imageId;
        Integer categoryId;
        double[] bbox;
        Double area;
        String colour;
        String size;

        RawAnnotation(long line, long column) {
            this.line = line;
            this.column = column;
        }

        DataFormatException error(JsonReader in, String problem) {
            return new DataFormatException(in.file(), line, column, problem);
        }

        void checkFields(JsonReader in) throws DataFormatException {
            String[] names = {"id", "image_id", "category_id", "bbox", "area", "colour", "size"};
            Object[] values = {id, imageId, categoryId, bbox, area, colour, size};
            for (int i = 0; i < names.length; i++) {
                if (values[i] == null) {
                    throw error(in, (id == null ? "annotation" : "annotation " + id) + " has no \"" + names[i] + "\"");
                }
            }
            if (bbox.length != 4) {
                throw error(in, "annotation " + id + ": \"bbox\" must be [x, y, w, h], found " + bbox.length + " numbers");
            }
            for (double v : bbox) {
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw error(in, "annotation " + id + ": \"bbox\" must hold whole pixels, found " + v);
                }
            }
            if (bbox[2] <= 0 || bbox[3] <= 0) {
                throw error(in, "annotation " + id + ": \"bbox\" is empty (" + (int) bbox[2] + "x" + (int) bbox[3] + ")");
            }
            if (!(area > 0) || Double.isInfinite(area)) {
                throw error(in, "annotation " + id + ": \"area\" must be a positive number, found " + area);
            }
            if (Colour.fromWord(colour) == null) {
                throw error(in, "annotation " + id + ": unknown colour \"" + colour + "\" (expected one of " + List.of(Colour.values()) + ")");
            }
            if (ObjectSize.fromWord(size) == null) {
                throw error(in, "annotation " + id + ": unknown size \"" + size + "\" (expected small or large)");
            }
        }

        SynthAnnotation resolve(JsonReader in, Map<Long, CocoImage> images, Map<Integer, Shape> categories) throws DataFormatException {
            CocoImage image = images.get(imageId);
            if (image == null) {
                throw error(in, "annotation " + id + " refers to image " + imageId + ", which is not in \"images\"");
            }
            Shape shape = categories.get(categoryId);
            if (shape == null) {
                throw error(in, "annotation " + id + " refers to category " + categoryId + ", which is not in \"categories\"");
            }
            BoundingBox box = new BoundingBox((int) bbox[0], (int) bbox[1], (int) bbox[2], (int) bbox[3]);
            if (!box.inside(image.width(), image.height())) {
                throw error(in, "annotation " + id + ": \"bbox\" " + box.x() + "," + box.y() + "," + box.width() + ","
                        + box.height() + " is not inside image " + imageId + " (" + image.width() + "x" + image.height() + ")");
            }
            return new SynthAnnotation(id, imageId, shape, box, area, Colour.fromWord(colour), ObjectSize.fromWord(size));
        }
    }
}
