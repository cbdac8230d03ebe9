package org.meshemu.deploy.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.meshemu.deploy.RunDirectory;

/**
 * A sweep's PNG plots (JFreeChart), drawn from the completed rows: for each plotted report key, a
 * line chart against every numeric axis (one line for each combination of the other axes' values),
 * and for a sweep of exactly two dimensions (grid axes, the zip counting as one) a heatmap over both. The keys are the sweep's {@code plots},
 * else every numeric figure that varies over the points except the host's (wall time, heap).
 */
final class SweepCharts {
    static final int WIDTH = 800, HEIGHT = 500;
    /** More lines than this in one chart cannot be told apart: the chart keeps the first ones. */
    static final int MAX_SERIES = 12;
    /** An axis, or a plotted figure, whose values span this factor or more is drawn on a log scale (sizes, batches, bandwidths, times). */
    static final double LOG_SPAN = 16;

    private SweepCharts() {}

    /** Draws the plots into {@code dir} (replacing earlier ones) and returns their files in drawing order. */
    static List<Path> draw(SweepFile sweep, List<Results.Row> rows, List<String> keys, Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<Results.Row> done = rows.stream().filter(r -> r.status().equals(Results.COMPLETED)).toList();
        List<Path> files = new ArrayList<>();
        if (done.isEmpty()) return files;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new org.meshemu.scenario.InputException(dir.toString(), "cannot create the plots' directory (" + e.getMessage() + ")");
        }
        // zip partners move together: the first numeric one stands for them all
        List<SweepFile.Axis> numericAxes = new ArrayList<>(sweep.grid().stream().filter(a -> a.numeric() && a.values().size() > 1).toList());
        sweep.zip().stream().filter(a -> a.numeric() && a.values().size() > 1).findFirst().ifPresent(numericAxes::add);
        for (String key : plotted(sweep, done, keys)) {
            for (SweepFile.Axis x : numericAxes) files.add(write(dir, fileName(key + "-vs-" + x.path()), lineChart(sweep, done, key, x)));
            if (dimensions(sweep).size() == 2) files.add(write(dir, fileName(key + "-heatmap"), heatmap(sweep, done, key)));
        }
        return files;
    }

    /** The sweep's plot keys, else every numeric key that varies over the completed points, less the host figures. */
    static List<String> plotted(SweepFile sweep, List<Results.Row> done, List<String> keys) {
        if (!sweep.plots().isEmpty()) return sweep.plots().stream().filter(keys::contains).toList();
        List<String> varying = new ArrayList<>();
        for (String k : keys) {
            if (Results.HOST_FIGURES.contains(k) || k.endsWith("Digest") || k.endsWith("Sha256")) continue; // hashes are not quantities
            Set<Double> values = new TreeSet<>();
            boolean numeric = true;
            for (Results.Row r : done) {
                Double v = number(r.figures().get(k));
                if (v == null) numeric = false;
                else values.add(v);
            }
            if (numeric && values.size() > 1) varying.add(k);
        }
        return varying;
    }

    private static JFreeChart lineChart(SweepFile sweep, List<Results.Row> done, String key, SweepFile.Axis x) {
        // the other axes that vary independently of x (a numeric zip partner moves with x; a one-value axis does not vary);
        // a named zip partner (a reduction, an algorithm) labels its points, so it splits the lines
        List<SweepFile.Axis> others = sweep.axes().stream()
                .filter(a -> a != x && a.values().size() > 1 && !(sweep.zip().contains(x) && sweep.zip().contains(a) && a.numeric())).toList();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Results.Row r : done) {
            Double y = number(r.figures().get(key));
            if (y == null) continue;
            String name = others.isEmpty() ? key : others.stream().map(a -> SweepFile.lastPart(a.path()) + "=" + SweepFile.shown(r.point().values().get(a.path())))
                    .collect(Collectors.joining(", "));
            if (!series.containsKey(name) && series.size() >= MAX_SERIES) continue;
            series.computeIfAbsent(name, n -> new XYSeries(n, true, true)).addOrUpdate(r.point().values().get(x.path()).asDouble(), y.doubleValue());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(key + " vs " + x.path(), x.path(), key, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        double min = x.values().stream().mapToDouble(JsonNode::asDouble).min().orElse(0);
        double max = x.values().stream().mapToDouble(JsonNode::asDouble).max().orElse(0);
        if (min > 0 && max / min >= LOG_SPAN) {
            LogAxis log = new LogAxis(x.path());
            log.setBase(2);
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            plot.setDomainAxis(log);
        }
        // a figure spanning orders of magnitude (one method 1000x another's time) would flatten all but the largest line
        double low = series.values().stream().mapToDouble(XYSeries::getMinY).min().orElse(0);
        double high = series.values().stream().mapToDouble(XYSeries::getMaxY).max().orElse(0);
        if (low > 0 && high / low >= LOG_SPAN) {
            plot.setRangeAxis(new LogAxis(key));
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        return chart;
    }

    private static JFreeChart heatmap(SweepFile sweep, List<Results.Row> done, String key) {
        SweepFile.Axis ax = dimensions(sweep).get(0), ay = dimensions(sweep).get(1);
        List<String> xs = ax.values().stream().map(SweepFile::shown).distinct().toList();
        List<String> ys = ay.values().stream().map(SweepFile::shown).distinct().toList();
        List<double[]> cells = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Results.Row r : done) {
            Double z = number(r.figures().get(key));
            if (z == null) continue;
            cells.add(new double[] {xs.indexOf(SweepFile.shown(r.point().values().get(ax.path()))),
                    ys.indexOf(SweepFile.shown(r.point().values().get(ay.path()))), z});
            lo = Math.min(lo, z);
            hi = Math.max(hi, z);
        }
        double[][] series = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) for (int d = 0; d < 3; d++) series[d][i] = cells.get(i)[d];
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(key, series);
        if (!(hi > lo)) hi = lo + 1; // one value: one colour
        LookupPaintScale scale = new LookupPaintScale(lo, hi, Color.LIGHT_GRAY);
        int steps = 64;
        for (int i = 0; i < steps; i++) {
            float t = i / (float) (steps - 1); // blue (low) to red (high) through yellow
            scale.add(lo + (hi - lo) * i / steps, Color.getHSBColor(0.66f * (1 - t), 0.85f, 0.95f));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, new SymbolAxis(ax.path(), xs.toArray(String[]::new)), new SymbolAxis(ay.path(), ys.toArray(String[]::new)), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(key + " over " + ax.path() + " x " + ay.path(), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis(key);
        legendAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return chart;
    }

    /** The independent directions of the sweep, each by one axis: every grid axis, and the zip by its first. */
    static List<SweepFile.Axis> dimensions(SweepFile sweep) {
        List<SweepFile.Axis> d = new ArrayList<>(sweep.grid().stream().filter(a -> a.values().size() > 1).toList());
        if (!sweep.zip().isEmpty()) d.add(sweep.zip().get(0));
        return d;
    }

    private static Path write(Path dir, String file, JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        Path target = dir.resolve(file);
        RunDirectory.writeAtomically(target, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        return target;
    }

    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    }

    private static Double number(String cell) {
        if (cell == null || cell.isEmpty()) return null;
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
