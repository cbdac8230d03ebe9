package org.meshemu.dashboards;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.meshemu.kernel.PartitionSample;

/**
 * A run's figures as Prometheus metrics (Micrometer), every one defined in docs/DASHBOARDS.md.
 * Nothing here runs on the simulated path: the values are read at scrape time from the
 * {@link LiveRun}, whose per-component figures were sampled at window barriers. The number of series
 * is bounded whatever the mesh: utilisation is exported as quantiles over components and as means
 * over at most {@link #MAX_REGIONS_PER_SIDE}^2 regions per chip; per-node series are a few per node
 * of the run, per-partition ones only up to {@link #MAX_PARTITION_SERIES} partitions. Nodes and
 * partitions are registered as their first samples arrive (checked at each scrape).
 */
public final class Metrics {
    /** Quantiles of the utilisation distributions. */
    static final double[] QUANTILES = {0, 0.5, 0.9, 0.99, 1};
    static final int MAX_REGIONS_PER_SIDE = 4;
    /** Runs with more partitions than this have per-node series only. */
    static final int MAX_PARTITION_SERIES = 64;
    /** Distribution figures are recomputed at most this often, however many gauges a scrape reads. */
    private static final long FRESH_NANOS = 200_000_000L;

    private final LiveRun run;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final int regionsPerSide;
    private volatile Figures figures;
    private final Set<String> nodes = new HashSet<>();
    private final Set<Integer> partitions = new HashSet<>();

    /** Utilisation figures of every layer's kind at one moment. */
    private record Figures(long atNanos, double[][] quantiles, double[] means, double[][] regionMeans) {}

    public Metrics(LiveRun run) {
        this.run = run;
        MeshGeometry g = run.geometry;
        // fewer regions per chip when there are many chips, so the series stay bounded
        int side = g.chips() <= 4 ? MAX_REGIONS_PER_SIDE : g.chips() <= 16 ? 2 : 1;
        this.regionsPerSide = Math.min(side, Math.min(g.width(), g.height()));
        registry.config().commonTags("scenario", run.scenario);
        register();
    }

    public PrometheusMeterRegistry registry() { return registry; }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        registerNodesAndPartitions();
        return registry.scrape();
    }

    private void register() {
        counter("meshemu.events", null, "messages handled by components", s -> s.events());
        counter("meshemu.windows", null, "local synchronisation windows executed, summed over partitions", s -> s.windows());
        counter("meshemu.epochs", null, "epochs completed by every partition (rounds of the partitions' exchange)", s -> s.epochs());
        counter("meshemu.noc.link", "bytes", "bytes serialised on NoC links, summed over hops", s -> s.nocLinkBytes());
        counter("meshemu.dram", "bytes", "bytes read from and written to DRAM banks", s -> s.dramBytes());
        counter("meshemu.barrier.wait", "seconds", "wall time partitions waited between an epoch and the next, summed", s -> s.barrierWaitSeconds());
        counter("meshemu.sampling", "seconds", "wall time spent sampling components at barriers", s -> s.samplingSeconds());
        gauge("meshemu.simulated.time", "seconds", "time of the last event handled", s -> s.simulatedTimePs() / 1e12);
        gauge("meshemu.wall.time", "seconds", "wall time since the first window", s -> s.wallSeconds());
        gauge("meshemu.events.per.second", null, "events / wall time since the first window", s -> s.eventsPerSecond());
        gauge("meshemu.energy", "joules", "total energy of the run, known when it has finished (NaN before)",
                s -> s.energyJoules() == null ? Double.NaN : s.energyJoules());
        gauge("meshemu.run.finished", null, "1 once the run has finished, else 0", s -> s.state().equals("finished") ? 1 : 0);
        gauge("meshemu.progress", "ratio", "work done / the workload's declared length (NaN when it declares none)",
                s -> s.progress() == null ? Double.NaN : s.progress());
        gauge("meshemu.eta", "seconds", "wall time left at the average pace so far (NaN when not known)",
                s -> s.etaSeconds() == null ? Double.NaN : s.etaSeconds());
        run.status().components().forEach((kind, n) -> Gauge.builder("meshemu.components", () -> n)
                .description("components of each kind").tags("kind", kind).register(registry));

        for (Layer layer : run.layers()) {
            int l = layer.ordinal();
            Tags kind = Tags.of("kind", layer.kind);
            Gauge.builder("meshemu.utilisation.mean", this, m -> m.figures().means()[l]).baseUnit("ratio")
                    .description("busy time / simulated time, mean over the components of a kind").tags(kind).register(registry);
            for (int q = 0; q < QUANTILES.length; q++) {
                int qi = q;
                Gauge.builder("meshemu.utilisation", this, m -> m.figures().quantiles()[l][qi]).baseUnit("ratio")
                        .description("busy time / simulated time: quantiles over the components of a kind (to 0.01)")
                        .tags(kind.and("quantile", Double.toString(QUANTILES[q]))).register(registry);
            }
            for (int r = 0; r < regions(); r++) {
                int ri = r;
                Gauge.builder("meshemu.region.utilisation", this, m -> m.figures().regionMeans()[l][ri]).baseUnit("ratio")
                        .description("busy time / simulated time, mean over the components of a kind in a mesh region")
                        .tags(kind.and("chip", Integer.toString(r / (regionsPerSide * regionsPerSide)), "region", regionName(r)))
                        .register(registry);
            }
        }
    }

    /** Series for each node and partition sampled since the last scrape. */
    private synchronized void registerNodesAndPartitions() {
        for (LiveRun.NodeFigures n : run.nodes()) {
            if (!nodes.add(n.node())) continue;
            String node = n.node();
            Tags tags = Tags.of("node", node);
            nodeCounter("meshemu.node.events", null, "events handled by the node's partitions", tags, node, f -> f.events());
            nodeCounter("meshemu.node.windows", null, "local windows run by the node's partitions", tags, node, f -> f.windows());
            nodeCounter("meshemu.node.barrier.wait", "seconds", "wall time the node's partitions waited between epochs, summed",
                    tags, node, f -> f.barrierWaitSeconds());
            String events = "events sent to / received from partitions on other nodes";
            nodeCounter("meshemu.node.cross.events", null, events, tags.and("direction", "sent"), node, f -> f.crossEventsSent());
            nodeCounter("meshemu.node.cross.events", null, events, tags.and("direction", "received"), node, f -> f.crossEventsReceived());
            String bytes = "serialised bytes of the batches sent to / received from other nodes (measured where they arrive)";
            nodeCounter("meshemu.node.cross", "bytes", bytes, tags.and("direction", "sent"), node, f -> f.crossBytesSent());
            nodeCounter("meshemu.node.cross", "bytes", bytes, tags.and("direction", "received"), node, f -> f.crossBytesReceived());
            Gauge.builder("meshemu.node.partitions", this, m -> node(node).partitions().size())
                    .description("partitions the node runs").tags(tags).register(registry);
            for (Layer layer : run.layers()) {
                Gauge.builder("meshemu.node.utilisation.mean", this, m -> node(node).utilisation().getOrDefault(layer.kind, Double.NaN))
                        .baseUnit("ratio").description("busy time / simulated time, mean over the node's components of a kind, as of its last sample")
                        .tags(tags.and("kind", layer.kind)).register(registry);
            }
        }
        List<PartitionSample> samples = run.partitions();
        if (samples.size() > MAX_PARTITION_SERIES) return;
        for (PartitionSample s : samples) {
            if (!partitions.add(s.partition())) continue;
            int p = s.partition();
            Tags tags = Tags.of("node", s.node(), "partition", Integer.toString(p));
            partitionCounter("meshemu.partition.events", null, "events handled by the partition", tags, p, PartitionSample::events);
            partitionCounter("meshemu.partition.windows", null, "local windows run by the partition", tags, p, PartitionSample::windows);
            partitionCounter("meshemu.partition.barrier.wait", "seconds", "wall time the partition waited between epochs", tags, p,
                    x -> x.barrierWaitNanos() / 1e9);
        }
    }

    private LiveRun.NodeFigures node(String node) {
        for (LiveRun.NodeFigures n : run.nodes()) if (n.node().equals(node)) return n;
        throw new IllegalStateException("no node " + node); // nodes are never forgotten
    }

    private void nodeCounter(String name, String unit, String help, Tags tags, String node, ToDoubleFunction<LiveRun.NodeFigures> f) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.node(node))).baseUnit(unit).description(help).tags(tags).register(registry);
    }

    private void partitionCounter(String name, String unit, String help, Tags tags, int partition, ToDoubleFunction<PartitionSample> f) {
        FunctionCounter.builder(name, run, r -> r.partitions().stream().filter(s -> s.partition() == partition).findFirst()
                .map(f::applyAsDouble).orElse(0.0)).baseUnit(unit).description(help).tags(tags).register(registry);
    }

    private void counter(String name, String unit, String help, ToDoubleFunction<LiveRun.Status> f) {
        FunctionCounter.builder(name, run, r -> f.applyAsDouble(r.status())).baseUnit(unit).description(help).register(registry);
    }

    private void gauge(String name, String unit, String help, ToDoubleFunction<LiveRun.Status> f) {
        Gauge.builder(name, run, r -> f.applyAsDouble(r.status())).baseUnit(unit).description(help).register(registry);
    }

    private int regions() { return run.geometry.chips() * regionsPerSide * regionsPerSide; }

    /** "row,column" of the region in its chip, regions counted from the top left. */
    private String regionName(int r) {
        int inChip = r % (regionsPerSide * regionsPerSide);
        return inChip / regionsPerSide + "," + inChip % regionsPerSide;
    }

    /** The region of a mesh node: its chip's regions first, then row-major inside the chip. */
    int regionOf(int node) {
        MeshGeometry g = run.geometry;
        int local = node % g.nodesPerChip();
        int row = local / g.width() * regionsPerSide / g.height();
        int column = local % g.width() * regionsPerSide / g.width();
        return g.chipOf(node) * regionsPerSide * regionsPerSide + row * regionsPerSide + column;
    }

    private Figures figures() {
        Figures f = figures;
        long now = System.nanoTime();
        if (f != null && now - f.atNanos() < FRESH_NANOS) return f;
        Layer[] layers = Layer.values();
        double[][] quantiles = new double[layers.length][QUANTILES.length];
        double[] means = new double[layers.length];
        double[][] regionMeans = new double[layers.length][regions()];
        for (Layer layer : run.layers()) {
            double[] u = run.utilisations(layer);
            int[] nodes = run.nodes(layer);
            quantiles[layer.ordinal()] = quantiles(u);
            int[] count = new int[regions()];
            double sum = 0;
            for (int i = 0; i < u.length; i++) {
                sum += u[i];
                int r = regionOf(nodes[i]);
                regionMeans[layer.ordinal()][r] += u[i];
                count[r]++;
            }
            means[layer.ordinal()] = u.length == 0 ? 0 : sum / u.length;
            for (int r = 0; r < count.length; r++) regionMeans[layer.ordinal()][r] = count[r] == 0 ? Double.NaN : regionMeans[layer.ordinal()][r] / count[r];
        }
        figures = f = new Figures(now, quantiles, means, regionMeans);
        return f;
    }

    /** Quantiles (nearest rank) of values in [0, 1], counted in bins of 0.01: linear time on millions of components. */
    static double[] quantiles(double[] u) {
        int[] bins = new int[101];
        for (double x : u) bins[(int) Math.round(Math.max(0, Math.min(1, x)) * 100)]++;
        double[] q = new double[QUANTILES.length];
        if (u.length == 0) return q;
        for (int k = 0; k < QUANTILES.length; k++) {
            long rank = Math.max(1, (long) Math.ceil(QUANTILES[k] * u.length));
            long seen = 0;
            for (int b = 0; b < bins.length; b++) {
                seen += bins[b];
                if (seen >= rank) { q[k] = b / 100.0; break; }
            }
        }
        return q;
    }

    /** The names of every metric this registers, as Prometheus exposes them (the Grafana test checks against them). */
    public List<String> prometheusNames() {
        List<String> names = new ArrayList<>();
        for (String line : scrape().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                names.add(parts[2]);
                if (parts[3].equals("counter")) names.add(parts[2] + "_total");
            }
        }
        return names;
    }
}
