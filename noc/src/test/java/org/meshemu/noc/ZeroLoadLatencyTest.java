package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;

/**
 * Zero-load latency of one message over the real components, against the closed form of the
 * model (see package-info). With S = min(B, maxPacketBytes) (B if no limit), P = ceil(B / S)
 * packets, L = B - (P-1) S bytes in the last one, ser(x) = ceil(x / bytesPerCycle), on h >= 1 hops:
 * <pre>
 *   injection + h (routerDelay + linkLatency) + routerDelay + (h - 1 + P - 1) ser(S) + ser(L)
 * </pre>
 * which for L = S is the textbook injection + h (routerDelay + ser(S) + linkLatency) + routerDelay
 * + (P - 1) ser(S). Every parameter is distinct so a mixed-up term shows.
 */
class ZeroLoadLatencyTest {
    static final long CYCLE = 1000;
    static final int BW = 16, LINK = 3, ROUTER = 2, INJECTION = 5;

    static NocSpec noc(String topology, int w, int h, String routing, long maxPacketBytes) {
        return noc(topology, w, h, routing, maxPacketBytes, 0);
    }

    static NocSpec noc(String topology, int w, int h, String routing, long maxPacketBytes, int bufferPackets) {
        return new NocSpec(topology, w, h, routing, new LinkSpec(BW, LINK), ROUTER, INJECTION, maxPacketBytes, bufferPackets);
    }

    /** Cycles the message of {@code bytes} from {@code src} to {@code dst} takes on an idle network. */
    static long measure(NocSpec noc, int src, int dst, long bytes) {
        return run(noc, Map.of(src, List.of(new Probe.Send(0, dst, bytes)))).get(dst + ":latency." + src + ".0") / CYCLE;
    }

    /** One chip with this network. */
    static Fabric single(NocSpec noc) {
        return hardware(noc, new ChipsSpec(1, "ring", 0, new ChipLinkSpec(null, null, null, null), Map.of()));
    }

    /** The system network of these chips, each with this network. */
    static Fabric hardware(NocSpec noc, ChipsSpec chips) {
        return new Fabric(noc, chips);
    }

    /** Runs probes sending {@code sends} by endpoint; returns every latency as "receiver:latency.source.message". */
    static Map<String, Long> run(NocSpec noc, Map<Integer, List<Probe.Send>> sends) {
        return run(single(noc), sends);
    }

    static Map<String, Long> run(Fabric hw, Map<Integer, List<Probe.Send>> sends) {
        return simulate(hw, sends).counters();
    }

    /** A run's result and every probe's counters as "receiver:name". */
    record Outcome(RunResult result, Map<String, Long> counters) {}

    static Outcome simulate(Fabric hw, Map<Integer, List<Probe.Send>> sends) {
        return simulate(hw, sends, 1, 1);
    }

    /** As {@link #simulate(Fabric, Map)}, on {@code partitions} partitions (by locality) and {@code threads} threads. */
    static Outcome simulate(Fabric hw, Map<Integer, List<Probe.Send>> sends, int partitions, int threads) {
        Assembly.Builder b = Assembly.builder(1);
        int[] ids = new int[hw.endpoints()];
        for (int n = 0; n < ids.length; n++) {
            final int node = n;
            ids[n] = b.add("probe", "probe" + n, n, Probe.PORTS, () -> new Probe(node, hw.noc().maxPacketBytes(), sends.getOrDefault(node, List.of())));
        }
        MultiChip.wire(b, hw, CYCLE, ids);
        Assembly assembly = b.build();
        Placement placement = partitions == 1 ? Placement.single(b.size()) : Placement.byLocality(assembly, partitions);
        RunResult r = Engine.run(assembly, placement, threads, RunObserver.NONE);
        Map<String, Long> all = new java.util.TreeMap<>();
        for (int n = 0; n < ids.length; n++) {
            final int node = n;
            r.reports().get(ids[n]).counters().forEach((k, v) -> all.put(node + ":" + k, v));
        }
        return new Outcome(r, all);
    }

    static long ser(long bytes) { return Math.ceilDiv(bytes, BW); }

    static long closedForm(int hops, long bytes, long maxPacketBytes) {
        long s = maxPacketBytes == 0 ? bytes : Math.min(bytes, maxPacketBytes);
        long p = Math.ceilDiv(bytes, s), last = bytes - (p - 1) * s;
        return INJECTION + hops * (ROUTER + LINK) + ROUTER + (hops - 1 + p - 1) * ser(s) + ser(last);
    }

    @Test
    void meshSinglePacketMatchesTheClosedForm() {
        NocSpec mesh = noc("mesh2d", 4, 3, "xy", 0);
        Grid2d.Shape shape = new Grid2d.Mesh().shape(mesh);
        for (int[] pair : new int[][] {{0, 1}, {0, 11}, {11, 0}, {5, 6}, {3, 8}}) {
            int h = shape.hops(pair[0], pair[1]);
            assertEquals(closedForm(h, 40, 0), measure(mesh, pair[0], pair[1], 40), "pair " + pair[0] + "->" + pair[1]);
            // textbook form for one packet: injection + h (router + ser + link) + router
            assertEquals(INJECTION + h * (ROUTER + ser(40) + LINK) + ROUTER, measure(mesh, pair[0], pair[1], 40));
        }
    }

    @Test
    void serialisationIsProbedAtOneBytePastAFullCycle() {
        NocSpec mesh = noc("mesh2d", 4, 1, "xy", 0);
        long at = measure(mesh, 0, 3, 2L * BW), past = measure(mesh, 0, 3, 2L * BW + 1);
        assertEquals(closedForm(3, 2L * BW, 0), at);
        assertEquals(at + 3, past, "one more byte costs one more cycle on each of 3 hops");
    }

    @Test
    void torusUsesTheWrapLinksAndMatchesTheClosedForm() {
        NocSpec torus = noc("torus2d", 5, 4, "xy", 0);
        Grid2d.Shape shape = new Grid2d.Torus().shape(torus);
        for (int[] pair : new int[][] {{0, 4}, {0, 19}, {0, 10}, {7, 2}, {0, 12}}) {
            int h = shape.hops(pair[0], pair[1]);
            assertEquals(closedForm(h, 100, 0), measure(torus, pair[0], pair[1], 100), "pair " + pair[0] + "->" + pair[1]);
        }
        assertEquals(1, shape.hops(0, 4));
        assertEquals(2, shape.hops(0, 19), "(0,0) -> (4,3): one wrap hop in each dimension");
        assertEquals(closedForm(1, 100, 0), measure(noc("torus2d", 5, 4, "yx", 0), 0, 4, 100));
    }

    @Test
    void packetsPipelineAcrossHops() {
        NocSpec mesh = noc("mesh2d", 6, 1, "xy", 64);
        // 256 bytes in 4 full packets of 64 over 5 hops: textbook form with (P-1) ser(S) added.
        long whole = INJECTION + 5 * (ROUTER + ser(64) + LINK) + ROUTER;
        assertEquals(whole + 3 * ser(64), measure(mesh, 0, 5, 256));
        assertEquals(closedForm(5, 256, 64), measure(mesh, 0, 5, 256));
        // Unsplit the same message pays its full serialisation on every hop.
        assertEquals(closedForm(5, 256, 0), measure(noc("mesh2d", 6, 1, "xy", 0), 0, 5, 256));
        assertEquals(INJECTION + 5 * (ROUTER + ser(256) + LINK) + ROUTER, closedForm(5, 256, 0));
    }

    @Test
    void packetSizeIsProbedAtTheLimitAndOneBelow() {
        // 128 bytes: at a limit of 64, two full packets; at 63, packets of 63, 63 and 2.
        NocSpec at = noc("mesh2d", 4, 1, "xy", 64), below = noc("mesh2d", 4, 1, "xy", 63);
        assertEquals(closedForm(3, 128, 64), measure(at, 0, 3, 128));
        assertEquals(closedForm(3, 128, 63), measure(below, 0, 3, 128));
        assertEquals(INJECTION + 3 * (ROUTER + LINK) + ROUTER + (2 + 1) * 4 + 4, measure(at, 0, 3, 128));
        assertEquals(INJECTION + 3 * (ROUTER + LINK) + ROUTER + (2 + 2) * 4 + 1, measure(below, 0, 3, 128));
        // A message exactly at the limit is one packet.
        assertEquals(closedForm(3, 64, 0), measure(at, 0, 3, 64));
    }

    @Test
    void allToAllIsTwoLinksAndTheExchangeWhateverThePair() {
        NocSpec a2a = noc("all-to-all", 4, 4, "xy", 0);
        for (int[] pair : new int[][] {{0, 1}, {0, 15}, {9, 3}}) {
            assertEquals(INJECTION + 2 * ser(48) + 2 * LINK + ROUTER, measure(a2a, pair[0], pair[1], 48));
        }
        // Split: the two links pipeline like a 2-hop path without the source router.
        assertEquals(INJECTION + 2 * LINK + ROUTER + (1 + 3) * ser(16) + ser(16), measure(noc("all-to-all", 2, 2, "xy", 16), 0, 3, 64));
    }

    @Test
    void allToAllSerialisesEverythingSentToOneEndpointOnItsEjectLink() {
        // Three endpoints send 48 bytes to endpoint 3 at once: they cross separate inject links in
        // parallel, then queue FIFO on eject(3), each ser(48) behind the previous.
        List<Probe.Send> one = List.of(new Probe.Send(0, 3, 48));
        Map<String, Long> got = run(noc("all-to-all", 2, 2, "xy", 0), Map.of(0, one, 1, one, 2, one));
        List<Long> sorted = new ArrayList<>(got.values());
        sorted.sort(null);
        long first = (INJECTION + 2 * ser(48) + 2 * LINK + ROUTER) * CYCLE;
        assertEquals(List.of(first, first + ser(48) * CYCLE, first + 2 * ser(48) * CYCLE), sorted);
    }
}
