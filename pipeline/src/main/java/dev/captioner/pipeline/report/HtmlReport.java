package dev.captioner.pipeline.report;

import dev.captioner.data.AtomicFile;
import dev.captioner.data.FileTrees;
import dev.captioner.data.synth.OpenCvNative;
import dev.captioner.encoder.image.CropRegion;
import dev.captioner.encoder.image.ImageDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * A static HTML report of a comparison of models: one self-contained folder that opens in any browser
 * from the disk, with relative links only, no script and nothing fetched from the network.
 *
 * <pre>
 *   OUT/index.html                       the page: score tables, charts, then the sample images
 *   OUT/charts/01-cider-d.png ...        the charts, copied
 *   OUT/images/000042.png ...            the sample images, copied
 *   OUT/maps/att-lstm/000042/00_a.png    per attention model and image, each word's attention over the
 *                                        image and a contact sheet ({@link AttentionMaps})
 * </pre>
 *
 * The page shows, at the top, the score tables as HTML tables (the first open, the others folded; the
 * best mean of each column in bold) and the charts; then for each sample image: the image, its
 * references, every model's caption and, for attention models, the picture of each word's attention
 * with the word under it.
 *
 * <p>The folder is made under a temporary name beside {@code OUT} and renamed into place, replacing an
 * older report whole. A folder that is not a report (not empty and without {@code index.html}) is
 * refused, never deleted.
 */
public final class HtmlReport {
    /** The page's file name. */
    public static final String INDEX = "index.html";

    private final String title;
    private final String intro;
    private final List<ReportImage> images;
    private final Map<String, Map<Long, ReportCaption>> models;
    private final List<ScoreTable> tables;
    private final List<ReportChart> charts;
    private final AttentionMaps maps;
    private final int decimals;
    private final int imageWidth;
    private final int mapWidth;

    HtmlReport(Builder builder) {
        this.title = builder.title;
        this.intro = builder.intro;
        this.images = List.copyOf(builder.images);
        this.models = new LinkedHashMap<>(builder.models);
        this.tables = List.copyOf(builder.tables);
        this.charts = List.copyOf(builder.charts);
        this.maps = builder.maps != null ? builder.maps : AttentionMaps.builder().optTileSize(96).build();
        this.decimals = builder.decimals;
        this.imageWidth = builder.imageWidth;
        this.mapWidth = builder.mapWidth;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the report into the folder {@code out}.
     *
     * @return the page, {@code out/index.html}
     * @throws NoSuchFileException where an image or chart is missing
     * @throws IOException         with one line naming the file where an image cannot be read, or where
     *                             {@code out} is a file or a folder that is not a report
     */
    public Path write(Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        checkReplaceable(target);
        for (ReportImage image : images) {
            requireFile(image.file(), "image");
        }
        for (ReportChart chart : charts) {
            requireFile(chart.png(), "chart");
        }
        Path parent = Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
        try {
            Map<Long, String> imageLinks = copyImages(tmp);
            List<String> chartLinks = copyCharts(tmp);
            Map<String, String> modelFolders = folders(models.keySet());
            Map<String, List<String>> wordLinks = drawMaps(tmp, modelFolders);
            String html = page(imageLinks, chartLinks, modelFolders, wordLinks);
            AtomicFile.write(tmp.resolve(INDEX), html.getBytes(StandardCharsets.UTF_8));
            FileTrees.replace(target, tmp);
        } finally {
            FileTrees.delete(tmp);
        }
        return target.resolve(INDEX);
    }

    private static void checkReplaceable(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IOException(target + ": exists and is not a folder; the report is a folder");
        }
        if (Files.exists(target.resolve(INDEX))) {
            return;
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new IOException(target + ": a folder that is not a report (no " + INDEX + "); not replaced");
            }
        }
    }

    private static void requireFile(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such " + what);
        }
    }

    /** Copies each image to {@code images/}, under its own name made safe (an id in front where two clash); returns the links. */
    private Map<Long, String> copyImages(Path root) throws IOException {
        Map<Long, String> links = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (ReportImage image : images) {
            String name = safeName(image.file().getFileName().toString());
            if (!used.add(name)) {
                name = image.id() + "_" + name;
                used.add(name);
            }
            Path copy = root.resolve("images").resolve(name);
            Files.createDirectories(copy.getParent());
            Files.copy(image.file(), copy);
            links.put(image.id(), "images/" + name);
        }
        return links;
    }

    private List<String> copyCharts(Path root) throws IOException {
        List<String> links = new ArrayList<>();
        for (int i = 0; i < charts.size(); i++) {
            ReportChart chart = charts.get(i);
            String name = String.format(Locale.ROOT, "%02d-%s.png", i + 1, slug(chart.title()));
            Path copy = root.resolve("charts").resolve(name);
            Files.createDirectories(copy.getParent());
            Files.copy(chart.png(), copy);
            links.add("charts/" + name);
        }
        return links;
    }

    /** Draws the attention pictures of every attention caption; returns, per "model\nimage id", the word pictures' links. */
    private Map<String, List<String>> drawMaps(Path root, Map<String, String> modelFolders) throws IOException {
        Map<String, List<String>> links = new HashMap<>();
        boolean any = models.values().stream().flatMap(m -> m.values().stream()).anyMatch(ReportCaption::attends);
        if (!any) {
            return links;
        }
        OpenCvNative.load();
        ImageDecoder decoder = ImageDecoder.create();
        for (ReportImage image : images) {
            Mat rgb = null;
            try {
                for (Map.Entry<String, Map<Long, ReportCaption>> model : models.entrySet()) {
                    ReportCaption caption = model.getValue().get(image.id());
                    if (caption == null || !caption.attends()) {
                        continue;
                    }
                    if (rgb == null) {
                        rgb = decoder.decode(image.file());
                    }
                    CropRegion crop = caption.crop() != null ? caption.crop() : new CropRegion(0, 0, rgb.cols(), rgb.rows());
                    String folder = "maps/" + modelFolders.get(model.getKey()) + "/" + safeName(stem(image)) + "-" + image.id();
                    AttentionMaps.Written written = maps.write(rgb, crop, caption.caption(), root.resolve(folder));
                    List<String> words = new ArrayList<>();
                    for (Path word : written.words()) {
                        words.add(folder + "/" + word.getFileName());
                    }
                    words.add(folder + "/" + written.sheet().getFileName());
                    links.put(model.getKey() + "\n" + image.id(), words);
                }
            } finally {
                if (rgb != null) {
                    rgb.release();
                }
            }
        }
        return links;
    }

    private static String stem(ReportImage image) {
        String name = image.file().getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** A folder name per model: its name made safe, numbered where two clash. */
    private static Map<String, String> folders(Iterable<String> names) {
        Map<String, String> folders = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (String name : names) {
            String folder = slug(name);
            for (int k = 2; !used.add(folder); k++) {
                folder = slug(name) + "-" + k;
            }
            folders.put(name, folder);
        }
        return folders;
    }

    private String page(Map<Long, String> imageLinks, List<String> chartLinks, Map<String, String> modelFolders,
            Map<String, List<String>> wordLinks) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        if (!intro.isEmpty()) {
            h.append("<p class=\"intro\">").append(esc(intro)).append("</p>\n");
        }
        if (!tables.isEmpty()) {
            h.append("<section id=\"scores\">\n<h2>Scores</h2>\n");
            for (int i = 0; i < tables.size(); i++) {
                h.append(i == 0 ? "<details open>" : "<details>").append("<summary>").append(esc(tables.get(i).title()))
                        .append("</summary>\n");
                table(h, tables.get(i));
                h.append("</details>\n");
            }
            h.append("</section>\n");
        }
        if (!charts.isEmpty()) {
            h.append("<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n");
            for (int i = 0; i < charts.size(); i++) {
                h.append("<figure><img src=\"").append(href(chartLinks.get(i))).append("\" alt=\"")
                        .append(esc(charts.get(i).title())).append("\"><figcaption>").append(esc(charts.get(i).title()))
                        .append("</figcaption></figure>\n");
            }
            h.append("</div>\n</section>\n");
        }
        if (!images.isEmpty()) {
            h.append("<section id=\"samples\">\n<h2>Test images</h2>\n");
            for (ReportImage image : images) {
                sample(h, image, imageLinks.get(image.id()), wordLinks);
            }
            h.append("</section>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private void table(StringBuilder h, ScoreTable table) {
        int columns = table.columns().size();
        double[] best = new double[columns];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (ScoreTable.Row row : table.rows()) {
            for (int c = 0; c < columns; c++) {
                MeanStd cell = row.cells().get(c);
                if (cell.n() > 0) {
                    best[c] = Math.max(best[c], cell.mean());
                }
            }
        }
        h.append("<table class=\"scores\">\n<thead><tr><th>").append(esc(table.corner())).append("</th><th>seeds</th>");
        for (String column : table.columns()) {
            h.append("<th>").append(esc(column)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (ScoreTable.Row row : table.rows()) {
            h.append("<tr><th>").append(esc(row.label())).append("</th><td>").append(row.seeds()).append("</td>");
            for (int c = 0; c < columns; c++) {
                MeanStd cell = row.cells().get(c);
                String text = esc(cell.format(decimals, row.seeds()));
                boolean top = cell.n() > 0 && cell.mean() == best[c] && table.rows().size() > 1;
                h.append("<td>").append(top ? "<b>" + text + "</b>" : text).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private void sample(StringBuilder h, ReportImage image, String imageLink, Map<String, List<String>> wordLinks) {
        h.append("<article class=\"sample\" id=\"image-").append(image.id()).append("\">\n<div class=\"left\">\n<h3>")
                .append(esc(image.file().getFileName().toString()));
        if (!image.note().isEmpty()) {
            h.append(" <small>").append(esc(image.note())).append("</small>");
        }
        h.append("</h3>\n<img class=\"photo\" src=\"").append(href(imageLink)).append("\" width=\"").append(imageWidth)
                .append("\" alt=\"test image ").append(image.id()).append("\">\n");
        h.append("<h4>References</h4>\n<ol class=\"refs\">\n");
        for (String reference : image.references()) {
            h.append("<li>").append(esc(reference)).append("</li>\n");
        }
        h.append("</ol>\n</div>\n<table class=\"captions\">\n");
        for (Map.Entry<String, Map<Long, ReportCaption>> model : models.entrySet()) {
            ReportCaption caption = model.getValue().get(image.id());
            h.append("<tr><th>").append(esc(model.getKey())).append("</th><td>");
            if (caption == null) {
                h.append("<p class=\"caption missing\">(no caption)</p>");
            } else {
                String text = caption.caption().text();
                h.append("<p class=\"caption\">").append(text.isEmpty() ? "(no words)" : esc(text)).append("</p>");
                List<String> links = wordLinks.get(model.getKey() + "\n" + image.id());
                if (links != null) {
                    h.append("\n<div class=\"maps\">");
                    List<String> words = caption.caption().words();
                    for (int t = 0; t < words.size(); t++) {
                        h.append("<figure><img src=\"").append(href(links.get(t))).append("\" width=\"").append(mapWidth)
                                .append("\" alt=\"attention for ").append(esc(words.get(t))).append("\"><figcaption>")
                                .append(esc(words.get(t))).append("</figcaption></figure>");
                    }
                    h.append("</div>\n<p class=\"sheet\"><a href=\"").append(href(links.get(links.size() - 1)))
                            .append("\">contact sheet</a></p>");
                }
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n</article>\n");
    }

    /** A relative link: each path segment percent-encoded where it holds anything but letters, digits and {@code . _ - ~}. */
    static String href(String relative) {
        StringBuilder out = new StringBuilder();
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Text for HTML content and attribute values. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Letters, digits, '.', '_' and '-' kept, anything else '_'; never empty, never a dot name. */
    static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(ch -> ch == '.') ? "_" + safe : safe;
    }

    /** Lower-case letters, digits and '-': {@code CIDEr-D (test)} becomes {@code cider-d-test}. */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "x" : slug;
    }

    private static final String CSS = String.join("\n",
            "body { font: 14px/1.4 system-ui, -apple-system, 'DejaVu Sans', sans-serif; color: #222; background: #fff;"
                    + " margin: 16px auto; max-width: 1160px; padding: 0 12px; }",
            "h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 18px 0 8px; border-bottom: 1px solid #ddd; }",
            "h3 { font-size: 15px; margin: 0 0 6px; } h3 small { color: #666; font-weight: normal; } h4 { margin: 8px 0 4px; }",
            "details { margin: 4px 0 10px; } summary { cursor: pointer; font-weight: 600; }",
            "table.scores { border-collapse: collapse; margin: 6px 0; }",
            "table.scores th, table.scores td { border: 1px solid #ccc; padding: 3px 8px; }",
            "table.scores td { text-align: right; font-variant-numeric: tabular-nums; } table.scores thead th { background: #f3f3f3; }",
            "table.scores tbody th { text-align: left; font-weight: normal; }",
            ".charts { display: flex; flex-wrap: wrap; gap: 10px; }",
            ".charts figure { margin: 0; flex: 0 1 auto; max-width: 49%; } .charts img { max-width: 100%; height: auto; display: block; }",
            "figcaption { font-size: 12px; color: #555; text-align: center; }",
            ".sample { display: flex; gap: 16px; align-items: flex-start; padding: 10px 0; border-bottom: 1px solid #eee; }",
            ".sample .left { flex: 0 0 340px; min-width: 0; } .photo { display: block; height: auto; image-rendering: auto; }",
            "ol.refs { margin: 0; padding-left: 20px; font-size: 13px; color: #444; }",
            "table.captions { border-collapse: collapse; flex: 1 1 auto; }",
            "table.captions th { text-align: left; vertical-align: top; padding: 4px 10px 4px 0; white-space: nowrap; font-weight: 600; }",
            "table.captions td { padding: 4px 0; vertical-align: top; } p.caption { margin: 0; } p.missing { color: #999; }",
            ".maps { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; } .maps figure { margin: 0; }",
            ".maps img { display: block; height: auto; } p.sheet { margin: 2px 0 0; font-size: 12px; }",
            "");

    /** What a report shows; {@link #setTitle} and {@link #setImages} are required, the rest is optional. */
    public static final class Builder {
        private String title;
        private String intro = "";
        private List<ReportImage> images;
        private final Map<String, Map<Long, ReportCaption>> models = new LinkedHashMap<>();
        private final List<ScoreTable> tables = new ArrayList<>();
        private final List<ReportChart> charts = new ArrayList<>();
        private AttentionMaps maps;
        private int decimals = 3;
        private int imageWidth = 192;
        private int mapWidth = 112;

        Builder() {}

        /** The page's title and heading. */
        public Builder setTitle(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** The sample images, in the order shown; ids unique. */
        public Builder setImages(List<ReportImage> images) {
            this.images = List.copyOf(images);
            return this;
        }

        /**
         * A model and its captions by image id, in the order shown. Images it has no caption of show
         * "(no caption)"; captions of images not in the report are not shown.
         */
        public Builder addModel(String name, Map<Long, ReportCaption> captions) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a model needs a name");
            }
            if (models.containsKey(name)) {
                throw new IllegalArgumentException("model \"" + name + "\" is added twice");
            }
            models.put(name, Map.copyOf(captions));
            return this;
        }

        /** A paragraph under the title. */
        public Builder optIntro(String intro) {
            this.intro = Objects.requireNonNull(intro, "intro");
            return this;
        }

        /** A score table at the top; tables are shown in the order added. */
        public Builder optTable(ScoreTable table) {
            tables.add(Objects.requireNonNull(table, "table"));
            return this;
        }

        /** A chart below the tables; charts are shown in the order added. */
        public Builder optChart(String title, Path png) {
            charts.add(new ReportChart(title, png));
            return this;
        }

        /** How the attention pictures are drawn; default {@link AttentionMaps} with 96-pixel contact-sheet tiles. */
        public Builder optAttentionMaps(AttentionMaps maps) {
            this.maps = Objects.requireNonNull(maps, "maps");
            return this;
        }

        /** Decimals of the scores, 0 to 9; default 3. */
        public Builder optDecimals(int decimals) {
            if (decimals < 0 || decimals > 9) {
                throw new IllegalArgumentException("decimals must be 0 to 9, got " + decimals);
            }
            this.decimals = decimals;
            return this;
        }

        /** The width the images are shown at, in CSS pixels; default 192. */
        public Builder optImageWidth(int imageWidth) {
            this.imageWidth = positive("image width", imageWidth);
            return this;
        }

        /** The width each word's attention picture is shown at, in CSS pixels; default 112. */
        public Builder optMapWidth(int mapWidth) {
            this.mapWidth = positive("map width", mapWidth);
            return this;
        }

        private static int positive(String what, int pixels) {
            if (pixels < 16 || pixels > 4096) {
                throw new IllegalArgumentException(what + " must be 16 to 4096 pixels, got " + pixels);
            }
            return pixels;
        }

        /** Checks the settings; an {@link IllegalArgumentException} names the first problem. */
        public HtmlReport build() {
            if (title == null) {
                throw new IllegalArgumentException("a report needs a title (setTitle)");
            }
            if (images == null) {
                throw new IllegalArgumentException("a report needs its sample images (setImages; an empty list for none)");
            }
            Set<Long> ids = new HashSet<>();
            for (ReportImage image : images) {
                if (!ids.add(image.id())) {
                    throw new IllegalArgumentException("image " + image.id() + " is in the report twice");
                }
            }
            return new HtmlReport(this);
        }
    }
}
