package org.meshemu.dashboards;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;

/**
 * The observed state of one run: the kernel's progress figures and, sampled at window barriers at
 * most once per {@code sampleNanos} per partition, every core's, link's and bank's busy time and
 * bytes so far. At the end it takes the exact figures of the components' reports, so the last
 * state equals report.json. Readers (HTTP, metrics, pictures) read it from other threads; what they
 * read may be one sample old, never torn in a way that matters for a picture, and never written back.
 */
public final class LiveRun implements RunObserver {
    /** Where the run is. */
    public enum State { STARTING, RUNNING, FINISHED }

    private static final Layer[] LAYERS = Layer.values();

    final String scenario;
    final MeshGeometry geometry;
    private final byte[] layerOf;   // component id -> Layer ordinal, -1 for kinds no layer shows
    private final int[] nodeOf;     // component id -> mesh node (its locality)
    private final long[] busyPs;    // by component id, as of the last sample
    private final long[] bytes;
    private final Map<String, Integer> components = new TreeMap<>();
    private final RunCounts counts;

    private volatile State state = State.STARTING;
    private volatile long startedNanos, wallNanos; // wallNanos: the kernel's, once finished
    private volatile long samples, samplingNanos;
    private volatile Double energyJoules;

    public LiveRun(String scenario, MeshGeometry geometry, Assembly assembly, long sampleNanos) {
        this.scenario = scenario;
        this.geometry = geometry;
        this.counts = new RunCounts(sampleNanos);
        int n = assembly.size();
        layerOf = new byte[n];
        nodeOf = new int[n];
        busyPs = new long[n];
        bytes = new long[n];
        for (int id = 0; id < n; id++) {
            Assembly.Node node = assembly.node(id);
            components.merge(node.kind(), 1, Integer::sum);
            layerOf[id] = -1;
            for (Layer l : LAYERS) if (l.kind.equals(node.kind())) layerOf[id] = (byte) l.ordinal();
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
        if (!counts.record(probe, now)) return;
        for (int i = 0, n = probe.size(); i < n; i++) {
            int id = probe.id(i);
            if (layerOf[id] < 0) continue;
            busyPs[id] = probe.busyPs(i);
            bytes[id] = probe.bytes(i);
        }
        long spent = System.nanoTime() - now;
        synchronized (this) { // rare: at most once per partition per sampling interval
            samples++;
            samplingNanos += spent;
        }
    }

    /** Takes the exact end-of-run figures from the components' reports. */
    public void finish(RunResult result, Double energyJoules) {
        for (ComponentReport r : result.reports()) {
            int id = r.id();
            if (layerOf[id] < 0) continue;
            busyPs[id] = r.busyPs();
            bytes[id] = switch (LAYERS[layerOf[id]]) {
                case LINK_UTILISATION -> r.counter("bytes");
                case BANK_TRAFFIC -> r.counter("bytesRead") + r.counter("bytesWritten");
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
        return new Status(scenario, state.name().toLowerCase(), counts.simulatedPs(), counts.windows(), e, counts.epochs(), wall,
                wall > 0 ? e / wall : 0, counts.barrierWaitNanos() / 1e9, total(Layer.LINK_UTILISATION), total(Layer.BANK_TRAFFIC),
                energyJoules, samples, samplingNanos / 1e9, Map.copyOf(components));
    }

    /** What /api/status returns. */
    public record Status(String scenario, String state, long simulatedTimePs, long windows, long events, long epochs,
                         double wallSeconds, double eventsPerSecond, double barrierWaitSeconds, long nocLinkBytes,
                         long dramBytes, Double energyJoules, long samples, double samplingSeconds,
                         Map<String, Integer> components) {}

    private long total(Layer layer) {
        long sum = 0;
        for (int id = 0; id < bytes.length; id++) if (layerOf[id] == layer.ordinal()) sum += bytes[id];
        return sum;
    }

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
