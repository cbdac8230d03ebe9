import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The moe-placement study's per-step plots, drawn as the sweep draws its own (JFreeChart, white, grey grid,
 * 800 x 500): from each point of a `meshemu sweep scenarios/studies/moe-placement.yaml` output directory,
 * moe.placementPolicy.steps[] as lines over the decode step, one per (policy, zipf exponent).
 * Usage: java -cp 'cluster-deploy/target/lib/*' bench/MoePlacementSteps.java SWEEP_DIR OUT_DIR
 */
public class MoePlacementSteps {
    public static void main(String[] args) throws Exception {
        Path sweep = Path.of(args[0]), out = Path.of(args[1]);
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        Map<String, XYSeries> time = new TreeMap<>(), imbalance = new TreeMap<>();
        try (Stream<Path> points = Files.list(sweep.resolve("points"))) {
            for (Path p : points.sorted().toList()) {
                if (!Files.exists(p.resolve("report.json"))) continue;
                JsonNode values = json.readTree(p.resolve("point.json").toFile()).path("values");
                String name = values.path("workload.placementPolicy.kind").asText() + ", zipf " + values.path("workload.routing.exponent").asText();
                JsonNode steps = json.readTree(p.resolve("report.json").toFile()).path("moe").path("placementPolicy").path("steps");
                XYSeries t = time.computeIfAbsent(name, n -> new XYSeries(n)), g = imbalance.computeIfAbsent(name, n -> new XYSeries(n));
                for (JsonNode s : steps) {
                    t.add(s.get("step").asInt(), s.get("ps").asDouble() / 1e6);
                    g.add(s.get("step").asInt(), s.get("groupImbalance").asDouble());
                }
            }
        }
        write(out.resolve("step-time.png"), chart("Decode step time", "us per step", time));
        write(out.resolve("step-group-imbalance.png"), chart("Group imbalance per decode step", "max / mean tokens per group", imbalance));
    }

    private static JFreeChart chart(String title, String y, Map<String, XYSeries> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "decode step", y, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // as the sweep's charts: a figure spanning 16x or more (the copy steps) on a log10 scale, or the other steps flatten
        double low = series.values().stream().mapToDouble(XYSeries::getMinY).min().orElse(0);
        double high = series.values().stream().mapToDouble(XYSeries::getMaxY).max().orElse(0);
        if (low > 0 && high / low >= 16) {
            LogAxis log = new LogAxis(y);
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.25));     // four ticks per decade
            log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
            plot.setRangeAxis(log);
        } else ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void write(Path file, JFreeChart chart) throws Exception {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 500);
    }
}
