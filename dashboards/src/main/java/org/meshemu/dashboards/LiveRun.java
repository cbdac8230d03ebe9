package org.meshemu.dashboards;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.kernel.Work;
import org.meshemu.report.ComponentMeasures;

/**
 * The observed state of one run: the kernel's progress figures and, sampled at window barriers at
 * most once per {@code sampleNanos} per partition, every core's, link's and bank's busy time and
 * bytes so far and the work done. Partitions in other JVMs of a cluster are sampled by their nodes
 * ({@link NodeSampler}): their counts and sums by kind arrive here, their components' own figures
 * only at the end. At the end it takes the exact figures of the components' reports, so the last
 * state equals report.json. Readers (HTTP, metrics, pictures) read it from other threads; what they
 * read may be one sample old, never torn in a way that matters for a picture, and never written back.
 */
public final class LiveRun implements RunObserver {
    /** Where the run is. */
    public enum State { STARTING, RUNNING, FINISHED }

    private static final Layer[] LAYERS = Layer.values();

    final String scenario;
    final MeshGeometry geometry;
    private final PartitionSampler sampler;
    private final byte[] layerOf;   // component id -> Layer ordinal, -1 for kinds no layer shows
    private final int[] nodeOf;     // component id -> mesh node (its locality)
    private final long[] busyPs;    // by component id, as of the last sample
    private final long[] bytes;
    private final Map<String, Integer> components = new TreeMap<>();
    private final RunCounts counts;
    private final long sampleNanos;
    private final Work work;        // the workload's length, null if unknown

    private volatile State state = State.STARTING;
    private volatile long startedNanos, wallNanos; // wallNanos: the kernel's, once finished
    private volatile long samples, samplingNanos;
    private volatile Double energyJoules;

    /** {@code work}: the workload's length (null: unknown, no progress shown). */
    public LiveRun(String scenario, MeshGeometry geometry, Assembly assembly, Work work, long sampleNanos) {
        this.scenario = scenario;
        this.geometry = geometry;
        this.work = work;
        this.sampleNanos = sampleNanos;
        this.counts = new RunCounts(sampleNanos);
        this.sampler = new PartitionSampler(assembly, work);
        this.layerOf = sampler.layerOf;
        int n = assembly.size();
        nodeOf = new int[n];
        busyPs = new long[n];
        bytes = new long[n];
        for (int id = 0; id < n; id++) {
            Assembly.Node node = assembly.node(id);
            components.merge(node.kind(), 1, Integer::sum);
            nodeOf[id] = node.locality();
        }
    }

    // ---- RunObserver: the kernel's threads ----

    @Override
    public void started(int count, long startupNanos) {
        startedNanos = System.nanoTime();
        state = State.RUNNING;
    }

    @Override
    public void windowDone(long windows, long simulatedPs, long events) { counts.root(windows, simulatedPs, events); }

    @Override
    public void epochDone(long epochs) { counts.epochs(epochs); }

    @Override
    public void atBarrier(ComponentProbe probe) {
        long now = System.nanoTime();
        if (!counts.claim(probe.partition(), now)) return;
        counts.record(sampler.sample(probe, RunCounts.LOCAL, busyPs, bytes));
        long spent = System.nanoTime() - now;
        synchronized (this) { // rare: at most once per partition per sampling interval
            samples++;
            samplingNanos += spent;
        }
    }

    @Override
    public void sampled(PartitionSample sample) {
        if (state != State.FINISHED) counts.record(sample); // a late sample never replaces the exact end
    }

    @Override
    public long remoteSampleNanos() { return sampleNanos; }

    /** Takes the exact end-of-run figures from the components' reports. */
    public void finish(RunResult result, Double energyJoules) {
        for (ComponentReport r : result.reports()) {
            int id = r.id();
            if (layerOf[id] < 0) continue;
            busyPs[id] = r.busyPs();
            ComponentMeasures measures = ComponentMeasures.of(r);
            bytes[id] = switch (LAYERS[layerOf[id]]) {
                case LINK_UTILISATION -> measures.nocBytes(r);
                case BANK_TRAFFIC -> measures.dramBytesRead(r) + measures.dramBytesWritten(r);
                case CORE_UTILISATION -> 0;
            };
        }
        counts.finish(result);
        this.energyJoules = energyJoules;
        wallNanos = result.wallNanos();
        state = State.FINISHED;
    }

    // ---- readers ----

    /** The run's figures now; defined in docs/DASHBOARDS.md. */
    public Status status() {
        long start = startedNanos;
        double wall = state == State.FINISHED ? wallNanos / 1e9 : start == 0 ? 0 : (System.nanoTime() - start) / 1e9;
        long e = counts.events();
        boolean finished = state == State.FINISHED;
        Double progress = progress(work, counts.work(), finished);
        return new Status(scenario, state.name().toLowerCase(), progress, eta(progress, wall, finished),
                work == null ? null : work.unit(), counts.simulatedPs(), counts.windows(), e, counts.epochs(), wall,
                wall > 0 ? e / wall : 0, counts.barrierWaitNanos() / 1e9, total(Layer.LINK_UTILISATION), total(Layer.BANK_TRAFFIC),
                energyJoules, samples, samplingNanos / 1e9, Map.copyOf(components), counts.nodes());
    }

    /** What /api/status returns. */
    public record Status(String scenario, String state, Double progress, Double etaSeconds, String workUnit, long simulatedTimePs,
                         long windows, long events, long epochs, double wallSeconds, double eventsPerSecond,
                         double barrierWaitSeconds, long nocLinkBytes, long dramBytes, Double energyJoules, long samples,
                         double samplingSeconds, Map<String, Integer> components, List<NodeFigures> nodes) {}

    /** Work done / the workload's length, in [0, 1]; exactly 1 once finished; null if the length is unknown. */
    static Double progress(Work work, long done, boolean finished) {
        if (work == null) return null;
        return finished ? 1.0 : Math.min(1.0, (double) done / work.total());
    }

    /**
     * Wall seconds left if the rest of the work goes at the average pace so far: 0 once finished, null
     * when unknown (no length, nothing done yet, or all work done but the run not yet over, as a NoC draining).
     */
    static Double eta(Double progress, double wallSeconds, boolean finished) {
        if (progress == null) return null;
        if (finished) return 0.0;
        if (progress <= 0 || progress >= 1) return null;
        return wallSeconds * (1 - progress) / progress;
    }

    /** Bytes of the kind's components so far: their last samples here, or their nodes' sums, whichever is larger (both lower bounds). */
    private long total(Layer layer) {
        long sum = 0;
        for (int id = 0; id < bytes.length; id++) if (layerOf[id] == layer.ordinal()) sum += bytes[id];
        long sampled = 0;
        for (PartitionSample s : counts.samples()) for (PartitionSample.Kind k : s.kinds()) if (k.kind().equals(layer.kind)) sampled += k.bytes();
        return Math.max(sum, sampled);
    }

    /** Every node's figures (one node, "local", for a run in one JVM). */
    List<NodeFigures> nodes() { return counts.nodes(); }

    /**
     * One node's figures (defined in docs/DASHBOARDS.md): its partitions' counts summed, traffic to
     * and from partitions on other nodes, and its components' utilisation by kind.
     */
    public record NodeFigures(String node, List<Integer> partitions, long windows, long events, double barrierWaitSeconds,
                              long crossEventsSent, long crossEventsReceived, long crossBytesSent, long crossBytesReceived,
                              Map<String, Double> utilisation) {}


    /** Every partition's last sample. */
    List<PartitionSample> partitions() { return counts.samples(); }

    /** Busy time / simulated time of component {@code id}, clamped to [0, 1] (a core books an instruction as it issues it). */
    private double utilisation(int id, long now) {
        return now <= 0 ? 0 : Math.min(1, (double) busyPs[id] / now);
    }

    /** The layer's value at every mesh node (NaN where the node has no component of the layer's kind). */
    public double[] values(Layer layer) {
        double[] v = new double[geometry.nodes()];
        int[] count = new int[v.length];
        long now = counts.simulatedPs();
        for (int id = 0; id < layerOf.length; id++) {
            if (layerOf[id] != layer.ordinal()) continue;
            int node = nodeOf[id];
            double x = layer.fraction ? utilisation(id, now) : bytes[id];
            v[node] = switch (layer.combine) {
                case MEAN, SUM -> v[node] + x;
                case MAX -> Math.max(v[node], x);
            };
            count[node]++;
        }
        for (int node = 0; node < v.length; node++) {
            if (count[node] == 0) v[node] = Double.NaN;
            else if (layer.combine == Layer.Combine.MEAN) v[node] /= count[node];
        }
        return v;
    }

    /** Whether the system has components of the layer's kind. */
    public boolean has(Layer layer) { return components.containsKey(layer.kind); }

    /** The utilisation of every component of {@code layer}'s kind, in id order. */
    double[] utilisations(Layer layer) {
        long now = counts.simulatedPs();
        double[] u = new double[components.getOrDefault(layer.kind, 0)];
        int k = 0;
        for (int id = 0; id < layerOf.length && k < u.length; id++) if (layerOf[id] == layer.ordinal()) u[k++] = utilisation(id, now);
        return u;
    }

    /** The mesh node of every component of {@code layer}'s kind, in the order of {@link #utilisations}. */
    int[] nodes(Layer layer) {
        int[] nodes = new int[components.getOrDefault(layer.kind, 0)];
        int k = 0;
        for (int id = 0; id < layerOf.length && k < nodes.length; id++) if (layerOf[id] == layer.ordinal()) nodes[k++] = nodeOf[id];
        return nodes;
    }

    /** The layers this system has. */
    public List<Layer> layers() { return Arrays.stream(LAYERS).filter(this::has).toList(); }
}
