package dev.captioner.pipeline.report;

import dev.captioner.data.AtomicFile;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The comparison's charts as PNG files (XChart, drawn off-screen: {@code java.awt.headless} is set to true
 * unless the JVM was started with it set):
 * <ul>
 *   <li>{@link #bars}: scores per model as grouped bars, one bar per metric, with the standard deviation
 *       over seeds as error bars;
 *   <li>{@link #lossCurves}: the training loss per step, one line per model (the mean over its seeds at
 *       each step, then smoothed);
 *   <li>{@link #validationCurves}: a validation score per epoch, one line per model (the mean over its seeds);
 *       {@link #validationCurvesByStep} the same per training step.
 * </ul>
 * Every file is written atomically and is exactly {@code width × height} pixels. The same data gives the
 * same picture.
 */
public final class Charts {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final int width;
    private final int height;
    private final double smoothing;
    private final int maxPoints;

    Charts(Builder builder) {
        this.width = builder.width;
        this.height = builder.height;
        this.smoothing = builder.smoothing;
        this.maxPoints = builder.maxPoints;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Grouped bars: the rows of {@code table} (models) along the x axis, a bar for each of {@code columns}
     * (metrics) at each, as high as the mean, with ± one standard deviation as error bars. A cell with no
     * value is drawn as 0.
     *
     * @param columns column headings of {@code table}, e.g. {@code CIDEr-D}, {@code BLEU-4}
     * @return {@code png}
     */
    public Path bars(String title, ScoreTable table, List<String> columns, Path png) throws IOException {
        if (table.rows().isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("chart \"" + title + "\": nothing to draw (" + table.rows().size() + " rows, "
                    + columns.size() + " columns)");
        }
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title).yAxisTitle("score").build();
        style(chart.getStyler());
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setAvailableSpaceFill(0.8);
        List<String> models = table.rows().stream().map(ScoreTable.Row::label).toList();
        for (String column : columns) {
            List<Double> means = new ArrayList<>();
            List<Double> stds = new ArrayList<>();
            for (String model : models) {
                MeanStd cell = table.cell(model, column);
                means.add(cell.n() == 0 ? 0.0 : cell.mean());
                stds.add(cell.n() == 0 ? 0.0 : cell.std());
            }
            chart.addSeries(column, models, means, stds);
        }
        return write(chart, png);
    }

    /**
     * Training loss per step, one line per model: the mean over the model's runs at each step, smoothed
     * with {@link #smooth} (weight {@link Builder#optSmoothing}), thinned to at most
     * {@link Builder#optMaxPoints} points.
     *
     * @param runs per model, the training histories of its seeds, models in legend order
     */
    public Path lossCurves(String title, Map<String, List<TrainingHistory>> runs, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step")
                .yAxisTitle(smoothing > 0 ? "loss (smoothed)" : "loss").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        int drawn = 0;
        for (Map.Entry<String, List<TrainingHistory>> model : runs.entrySet()) {
            TreeMap<Long, Double> mean = TrainingHistory.meanLoss(model.getValue());
            if (mean.isEmpty()) {
                continue;
            }
            double[] x = mean.keySet().stream().mapToDouble(Long::doubleValue).toArray();
            double[] y = smooth(mean.values().stream().mapToDouble(Double::doubleValue).toArray(), smoothing);
            int[] keep = thin(x.length, maxPoints);
            XYSeries series = chart.addSeries(model.getKey(), pick(x, keep), pick(y, keep));
            series.setMarker(SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("chart \"" + title + "\": no training steps in the logs of " + runs.keySet());
        }
        return write(chart, png);
    }

    /**
     * A validation score per epoch, one line with markers per model: the mean over the model's runs that
     * validated that epoch.
     *
     * @param metric the log's column, e.g. {@code CIDEr}; the axis shows its display name ({@link MetricNames})
     */
    public Path validationCurves(String title, Map<String, List<TrainingHistory>> runs, String metric, Path png)
            throws IOException {
        Map<String, TreeMap<? extends Number, Double>> means = new LinkedHashMap<>();
        runs.forEach((model, histories) -> means.put(model, TrainingHistory.meanValidation(histories, metric)));
        return validation(title, "epoch", means, metric, runs.keySet(), png);
    }

    /**
     * A validation score per training step, one line with markers per model: the mean over the model's
     * runs that validated at that step. For runs validated more often than once an epoch, at the same
     * steps for every seed (as {@code captioner compare} validates).
     *
     * @param metric the log's column, e.g. {@code CIDEr}; the axis shows its display name ({@link MetricNames})
     */
    public Path validationCurvesByStep(String title, Map<String, List<TrainingHistory>> runs, String metric, Path png)
            throws IOException {
        Map<String, TreeMap<? extends Number, Double>> means = new LinkedHashMap<>();
        runs.forEach((model, histories) -> means.put(model, TrainingHistory.meanValidationByStep(histories, metric)));
        return validation(title, "step", means, metric, runs.keySet(), png);
    }

    private Path validation(String title, String xAxis, Map<String, TreeMap<? extends Number, Double>> means, String metric,
            Set<String> models, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xAxis)
                .yAxisTitle("validation " + MetricNames.display(metric)).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisDecimalPattern("0");
        int drawn = 0;
        for (Map.Entry<String, TreeMap<? extends Number, Double>> model : means.entrySet()) {
            TreeMap<? extends Number, Double> mean = model.getValue();
            if (mean.isEmpty()) {
                continue;
            }
            double[] x = mean.keySet().stream().mapToDouble(Number::doubleValue).toArray();
            double[] y = mean.values().stream().mapToDouble(Double::doubleValue).toArray();
            chart.addSeries(model.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
            drawn++;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("chart \"" + title + "\": no validation " + metric + " in the logs of " + models);
        }
        return write(chart, png);
    }

    /**
     * An exponential moving average with TensorBoard's bias correction: {@code m_t = w·m_{t-1} + (1-w)·v_t},
     * {@code m_0 = 0}, shown as {@code m_t / (1 - w^t)}; so the first value is kept and a constant stays
     * constant. Weight 0 leaves the values as they are.
     */
    public static double[] smooth(double[] values, double weight) {
        double[] out = new double[values.length];
        double last = 0;
        double decay = 1;
        for (int i = 0; i < values.length; i++) {
            last = weight * last + (1 - weight) * values[i];
            decay *= weight;
            out[i] = weight == 0 ? values[i] : last / (1 - decay);
        }
        return out;
    }

    /** Indices of at most {@code max} points out of {@code n}, evenly spaced, first and last kept. */
    static int[] thin(int n, int max) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] keep = new int[max];
        for (int i = 0; i < max; i++) {
            keep[i] = (int) Math.round((double) i * (n - 1) / (max - 1));
        }
        return keep;
    }

    private static double[] pick(double[] values, int[] keep) {
        double[] out = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = values[keep[i]];
        }
        return out;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
    }

    private static Path write(Chart<?, ?> chart, Path png) throws IOException {
        AtomicFile.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        return png;
    }

    /** Chart settings; every one has a default. */
    public static final class Builder {
        private int width = 800;
        private int height = 500;
        private double smoothing = 0.9;
        private int maxPoints = 1000;

        Builder() {}

        /** The pictures' size in pixels; default 800 × 500. */
        public Builder optSize(int width, int height) {
            if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
                throw new IllegalArgumentException("a chart is 100 to 10000 pixels a side, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** The loss curves' smoothing weight in [0, 1); default 0.9; 0 draws the raw means. */
        public Builder optSmoothing(double smoothing) {
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("smoothing must be in [0, 1), got " + smoothing);
            }
            this.smoothing = smoothing;
            return this;
        }

        /** The most points a loss curve is drawn with; default 1000. */
        public Builder optMaxPoints(int maxPoints) {
            if (maxPoints < 2) {
                throw new IllegalArgumentException("a curve needs at least 2 points, got " + maxPoints);
            }
            this.maxPoints = maxPoints;
            return this;
        }

        public Charts build() {
            return new Charts(this);
        }
    }
}
