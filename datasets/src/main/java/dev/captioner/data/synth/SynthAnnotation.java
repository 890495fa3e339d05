package dev.captioner.data.synth;

/**
 * One object in {@code instances.json}: its category (the shape), box in pixels, geometric area in
 * square pixels, colour and size class. {@code id} runs from 1 over the whole file, in image order.
 */
public record SynthAnnotation(long id, long imageId, Shape shape, BoundingBox bbox, double area, Colour colour, ObjectSize size) {

    /** The annotation of an object of a scene whose image has id {@code imageId}; the area is rounded to 0.01. */
    public static SynthAnnotation of(long id, long imageId, SceneObject object) {
        return new SynthAnnotation(id, imageId, object.shape(), object.box(), Math.round(object.area() * 100) / 100.0,
                object.colour(), object.size());
    }

    /** The COCO category id: {@link Shape#categoryId()}. */
    public int categoryId() {
        return shape.categoryId();
    }
}
