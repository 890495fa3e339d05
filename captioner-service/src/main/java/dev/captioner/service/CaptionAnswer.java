package dev.captioner.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.pipeline.model.Caption;
import dev.captioner.pipeline.model.CaptionResult;
import java.util.Base64;
import java.util.List;

/**
 * The JSON answer of {@code POST /v1/captions}:
 * <pre>
 * {"captions": [{"text": "a red circle", "log_prob": -1.93, "words": ["a", "red", "circle"],
 *                "attention": [[[0.01, ...], ...], ...]}],              each word's rows x cols grid, when asked
 *  "grid": {"rows": 8, "cols": 8, "crop": {"x": 0, "y": 0, "width": 224, "height": 224}},   when asked
 *  "maps": ["data:image/png;base64,...", ...],                          the best caption's overlays, when asked
 *  "milliseconds": 41.2}
 * </pre>
 * The grids are given for every caption, the PNG overlays for the best one only (they are the bulk of the answer).
 */
final class CaptionAnswer {
    private CaptionAnswer() {}

    /**
     * @param crop where the encoder's input lies in the image (with {@code maps}), else null
     * @param maps the best caption's word overlays as PNG, else null
     */
    static ObjectNode of(ObjectMapper json, CaptionResult result, boolean attention, int rows, int cols, CropRegion crop,
            List<byte[]> maps, double milliseconds) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode captions = answer.putArray("captions");
        for (Caption caption : result.captions()) {
            ObjectNode c = captions.addObject();
            c.put("text", caption.text());
            c.put("log_prob", Math.round(caption.logProb() * 1e4) / 1e4);
            ArrayNode words = c.putArray("words");
            caption.words().forEach(words::add);
            if (attention && !caption.attention().isEmpty()) {
                ArrayNode grids = c.putArray("attention");
                for (float[][] grid : caption.attention()) {
                    ArrayNode g = grids.addArray();
                    for (float[] row : grid) {
                        ArrayNode r = g.addArray();
                        for (float weight : row) {
                            r.add(Math.round(weight * 1e5) / 1e5);
                        }
                    }
                }
            }
        }
        if (attention && crop != null) {
            ObjectNode grid = answer.putObject("grid");
            grid.put("rows", rows);
            grid.put("cols", cols);
            ObjectNode region = grid.putObject("crop");
            region.put("x", crop.x());
            region.put("y", crop.y());
            region.put("width", crop.width());
            region.put("height", crop.height());
        }
        if (maps != null) {
            ArrayNode pictures = answer.putArray("maps");
            Base64.Encoder base64 = Base64.getEncoder();
            maps.forEach(png -> pictures.add("data:image/png;base64," + base64.encodeToString(png)));
        }
        answer.put("milliseconds", Math.round(milliseconds * 10) / 10.0);
        return answer;
    }
}
