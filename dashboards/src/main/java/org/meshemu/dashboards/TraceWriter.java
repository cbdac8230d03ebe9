package org.meshemu.dashboards;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.TraceBuffer;

/**
 * Writes a run as a Chrome / Perfetto trace (JSON object format, loadable in ui.perfetto.dev):
 * one process per chip, one track (thread) per traced core and link, every instruction a core
 * executes and every packet a link serialises as a complete slice ("X"), and per chip and
 * partition a counter of the traced cores' mean utilisation every {@link #COUNTER_WINDOWS}
 * windows of simulated time. Timestamps are simulated microseconds.
 *
 * <p>Bounded: only the components of kinds core and link at the nodes the {@link Region} samples, and at
 * most {@code limit} slices in all (the rest are counted in {@code otherData.droppedSlices}). Slices
 * are drained from the components at every barrier of their partition and streamed to the file.
 */
public final class TraceWriter implements RunObserver, AutoCloseable {
    static final int COUNTER_WINDOWS = 256;
    /** Slices a traced component may hold between two barriers of its partition. */
    private static final int BUFFER_SLICES = 1 << 16;
    private static final List<String> TRACED_KINDS = List.of("core", "link");

    /**
     * A rectangle of mesh nodes, in the system's grid (chips laid out as {@link MeshGeometry} does),
     * inclusive, sampled every {@code stride} nodes in each direction from its top left corner.
     */
    public record Region(int x0, int y0, int x1, int y1, int stride) {
        /** Nodes per side that the default region traces at most. */
        static final int DEFAULT_SIDE = 32;

        public Region {
            if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0) throw new IllegalArgumentException("not a rectangle of nodes: " + x0 + "," + y0 + "," + x1 + "," + y1);
            if (stride < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }

        /** "X0,Y0,X1,Y1", as the command line takes it. */
        public static Region parse(String text, int stride) {
            String[] p = text.split(",");
            if (p.length != 4) throw new IllegalArgumentException("expected X0,Y0,X1,Y1, got " + text);
            return new Region(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()),
                    Integer.parseInt(p[3].trim()), stride);
        }

        /** The whole system, every k-th node in each direction so that at most 32 x 32 nodes are traced. */
        public static Region byDefault(MeshGeometry g) {
            int stride = (Math.max(g.columns(), g.rows()) + DEFAULT_SIDE - 1) / DEFAULT_SIDE;
            return new Region(0, 0, g.columns() - 1, g.rows() - 1, stride);
        }

        boolean contains(int column, int row) {
            return column >= x0 && column <= x1 && row >= y0 && row <= y1 && (column - x0) % stride == 0 && (row - y0) % stride == 0;
        }

        @Override
        public String toString() { return x0 + "," + y0 + "," + x1 + "," + y1 + (stride == 1 ? "" : " every " + stride); }
    }

    private record Traced(int id, int index, boolean core, TraceBuffer buffer) {}

    private final Path file;
    private final Writer out;
    private final MeshGeometry geometry;
    private final Assembly assembly;
    private final Region region;
    private final long limit;
    private final long counterEveryPs;
    private final Map<Integer, List<Traced>> byPartition = new ConcurrentHashMap<>();
    private final Map<Integer, Long> nextCounterPs = new ConcurrentHashMap<>();
    private final BitSet namedChips = new BitSet();
    private long slices, dropped;
    private IOException failure;

    public TraceWriter(Path file, MeshGeometry geometry, Assembly assembly, Region region, long limit) {
        this.file = file;
        this.geometry = geometry;
        this.assembly = assembly;
        this.region = region;
        this.limit = limit;
        this.counterEveryPs = Math.max(1, assembly.windowPs() * COUNTER_WINDOWS);
        try {
            out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
            out.write("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void windowDone(long windows, long simulatedPs, long events) {}

    @Override
    public void atBarrier(ComponentProbe probe) {
        List<Traced> traced = byPartition.computeIfAbsent(probe.partition(), p -> attach(probe));
        if (traced.isEmpty()) return;
        long now = probe.lastPs();
        boolean counter = now >= nextCounterPs.getOrDefault(probe.partition(), 0L);
        synchronized (this) { // partitions reach barriers on their own threads
            for (Traced t : traced) {
                int chip = geometry.chipOf(assembly.node(t.id()).locality());
                t.buffer().drain((name, start, end) -> slice(chip, t.id(), name, start, end));
            }
            if (counter && now > 0) counters(probe, traced, now);
        }
        if (counter) nextCounterPs.put(probe.partition(), now + counterEveryPs);
    }

    private List<Traced> attach(ComponentProbe probe) {
        List<Traced> traced = new ArrayList<>();
        for (int i = 0; i < probe.size(); i++) {
            Assembly.Node node = assembly.node(probe.id(i));
            int n = node.locality();
            if (!TRACED_KINDS.contains(node.kind()) || n >= geometry.nodes() || !region.contains(geometry.column(n), geometry.row(n))) continue;
            traced.add(new Traced(node.id(), i, node.kind().equals("core"), probe.trace(i, BUFFER_SLICES)));
        }
        synchronized (this) {
            for (Traced t : traced) {
                Assembly.Node node = assembly.node(t.id());
                int chip = geometry.chipOf(node.locality());
                if (!namedChips.get(chip)) {
                    namedChips.set(chip);
                    event("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + chip + ",\"args\":{\"name\":\"chip " + chip + "\"}}");
                }
                event("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + chip + ",\"tid\":" + t.id() + ",\"args\":{\"name\":\""
                        + node.label() + "\"}}");
                event("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":" + chip + ",\"tid\":" + t.id()
                        + ",\"args\":{\"sort_index\":" + t.id() + "}}");
            }
        }
        return traced;
    }

    private void slice(int chip, int tid, String name, long startPs, long endPs) {
        if (slices == limit) {
            dropped++;
            return;
        }
        slices++;
        event("{\"name\":\"" + name + "\",\"ph\":\"X\",\"pid\":" + chip + ",\"tid\":" + tid + ",\"ts\":" + micros(startPs)
                + ",\"dur\":" + micros(endPs - startPs) + "}");
    }

    /** Mean utilisation of the partition's traced cores on each chip, at {@code now}. */
    private void counters(ComponentProbe probe, List<Traced> traced, long now) {
        double[] busy = new double[geometry.chips()];
        int[] cores = new int[geometry.chips()];
        for (Traced t : traced) {
            if (!t.core()) continue;
            int chip = geometry.chipOf(assembly.node(t.id()).locality());
            busy[chip] += Math.min(1, (double) probe.busyPs(t.index()) / now);
            cores[chip]++;
        }
        for (int chip = 0; chip < cores.length; chip++) {
            if (cores[chip] == 0) continue;
            event("{\"name\":\"core utilisation (partition " + probe.partition() + ")\",\"ph\":\"C\",\"pid\":" + chip + ",\"ts\":"
                    + micros(now) + ",\"args\":{\"mean\":" + busy[chip] / cores[chip] + "}}");
        }
    }

    /** Picoseconds as exact decimal microseconds. */
    static String micros(long ps) {
        return ps / 1_000_000 + "." + String.format("%06d", ps % 1_000_000);
    }

    private boolean first = true;

    private void event(String json) {
        if (failure != null) return;
        try {
            if (!first) out.write(",\n");
            first = false;
            out.write(json);
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Slices written and slices dropped beyond the limit (or a component's buffer). */
    public synchronized long[] counts() {
        long lost = dropped;
        for (List<Traced> traced : byPartition.values()) for (Traced t : traced) lost += t.buffer().dropped();
        return new long[] {slices, lost};
    }

    /** Ends the JSON document; called after the run, when no barrier comes any more. */
    @Override
    public synchronized void close() {
        long[] counts = counts();
        try {
            out.write("\n],\"otherData\":{\"slices\":" + counts[0] + ",\"droppedSlices\":" + counts[1] + ",\"region\":\"" + region + "\",\"limit\":"
                    + limit + "}}\n");
            out.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
        if (failure != null) throw new UncheckedIOException("cannot write " + file, failure);
    }
}
