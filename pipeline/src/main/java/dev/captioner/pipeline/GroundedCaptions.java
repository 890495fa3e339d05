package dev.captioner.pipeline;

import dev.captioner.data.coco.CocoImage;
import dev.captioner.data.synth.SynthAnnotation;
import dev.captioner.data.synth.SynthInstances;
import dev.captioner.decoder.train.AttentionTargets;
import dev.captioner.decoder.train.CaptionData;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImagePreprocessor;
import dev.captioner.metrics.grounding.GridRegion;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training captions' words tied to the boxes of the objects they name, for supervised attention: where each
 * image's {@code rows × cols} grid lies (the crop the encoder saw, from {@code instances.json}'s image sizes) and
 * which cells each object word should look at ({@link AttentionTargets}).
 */
public final class GroundedCaptions {
    private GroundedCaptions() {}

    /** The cells the words of each image's captions should look at; images {@code instances} does not describe get none. */
    public static CaptionData.WordRegions of(SynthInstances instances, ImagePreprocessor preprocessor, int rows, int cols) {
        Map<Long, List<SynthAnnotation>> objects = instances.annotationsByImage();
        Map<Long, GridRegion> regions = new LinkedHashMap<>();
        for (CocoImage image : instances.images()) {
            CropRegion crop = preprocessor.cropRegion(image.width(), image.height());
            regions.put(image.id(), new GridRegion(crop.x(), crop.y(), crop.width(), crop.height()));
        }
        return (imageId, words) -> {
            List<SynthAnnotation> inImage = objects.get(imageId);
            GridRegion region = regions.get(imageId);
            return inImage == null || region == null ? null : AttentionTargets.of(words, inImage, region, rows, cols);
        };
    }

    /** How many training words carry cells to look at, and in how many captions, as the runs' notes say it. */
    public static String summary(CaptionData data) {
        long words = 0;
        long captions = 0;
        for (CaptionData.Example example : data.train()) {
            BitSet[] lookAt = example.lookAt();
            long n = 0;
            for (int t = 0; lookAt != null && t < lookAt.length; t++) {
                n += lookAt[t] == null ? 0 : 1;
            }
            words += n;
            captions += n > 0 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "%,d object words in %,d of %,d captions look at their objects' boxes", words, captions,
                data.train().size());
    }
}
