package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.workloads.traffic.TrafficStats;

/**
 * The synthetic-traffic workload end to end: exact latency where the model has no contention,
 * throughput against offered load and the bisection bound, and partition independence.
 */
class SyntheticTrafficTest {
    @TempDir Path out;

    static final String MESH_8X8 = """
            name: traffic
            seed: 3
            hardware:
              noc: {topology: mesh2d, width: 8, height: 8, routing: xy, link: {bytesPerCycle: 32, latencyCycles: 1},
                    routerDelayCycles: 1, injectionCycles: 1}
            workload: {kind: synthetic-traffic, pattern: uniform, packetBytes: 32, warmupCycles: 300, measureCycles: 1500}
            run: {payload: timing}
            """;

    private RunReport.Noc noc(LoadedScenario s) {
        return Scenarios.run(s, out.resolve(Long.toString(System.nanoTime()))).noc();
    }

    @Test
    void neighbourTrafficOnATorusIsContentionFreeAndExact() {
        // (x, y) -> (x+1, y+1) on a torus is always 2 hops, and no two sources share a link, so
        // every packet takes injection + 2 (router + ser + link) + router = 1 + 2 * 3 + 1 = 8 cycles,
        // even when every endpoint injects every cycle.
        for (String rate : new String[] {"0.05", "1.0"}) {
            RunReport.Noc n = noc(Scenarios.inline(MESH_8X8, "hardware.noc.topology=torus2d", "workload.pattern=neighbor",
                    "workload.injectionRate=" + rate));
            assertEquals(8.0, n.avgPacketLatencyCycles(), rate);
            assertEquals(8.0, n.p99PacketLatencyCycles(), rate);
            assertEquals(n.offeredPacketsPerNodePerCycle(), n.acceptedPacketsPerNodePerCycle(), 0.002, rate);
        }
    }

    @Test
    void acceptedTracksOfferedBelowSaturation() {
        for (String rate : new String[] {"0.1", "0.3", "0.4"}) {
            RunReport.Noc n = noc(Scenarios.inline(MESH_8X8, "workload.injectionRate=" + rate));
            double offered = n.offeredPacketsPerNodePerCycle(), accepted = n.acceptedPacketsPerNodePerCycle();
            assertEquals(Double.parseDouble(rate), offered, 0.02, "Bernoulli injection at the asked rate");
            assertEquals(offered, accepted, 0.03 * offered, "rate " + rate);
        }
    }

    @Test
    void saturatesAtOrBelowTheBisectionBound() {
        // Uniform traffic on a k x k mesh with b packets/cycle per link: half of each half's
        // traffic crosses the k links of the bisection each way, so N/2 * lambda / 2 <= k b, i.e.
        // lambda <= 4 b / k = 0.5 packets/node/cycle here (b = 32 B/cycle / 32 B = 1, k = 8).
        // Offered above the bound, the network cannot keep up: accepted falls clearly short and
        // latency grows with the measurement window instead of settling. (The aggregate accepted
        // rate itself may creep above 0.5 under overload: links queue without bound, so traffic
        // that does not cross the bisection keeps flowing while crossing traffic piles up. The
        // saturation throughput, the highest offered load the network sustains, is what is bounded.)
        RunReport.Noc below = noc(Scenarios.inline(MESH_8X8, "workload.injectionRate=0.4"));
        RunReport.Noc belowLonger = noc(Scenarios.inline(MESH_8X8, "workload.injectionRate=0.4", "workload.measureCycles=3000"));
        RunReport.Noc above = noc(Scenarios.inline(MESH_8X8, "workload.injectionRate=0.55"));
        RunReport.Noc aboveLonger = noc(Scenarios.inline(MESH_8X8, "workload.injectionRate=0.55", "workload.measureCycles=3000"));
        assertTrue(above.acceptedPacketsPerNodePerCycle() < 0.95 * above.offeredPacketsPerNodePerCycle(),
                "accepted " + above.acceptedPacketsPerNodePerCycle() + " of offered " + above.offeredPacketsPerNodePerCycle());
        // below the bound latency settles: a window twice as long gives the same mean; above it, queues grow all along
        assertEquals(below.avgPacketLatencyCycles(), belowLonger.avgPacketLatencyCycles(), 0.1 * below.avgPacketLatencyCycles());
        assertTrue(above.avgPacketLatencyCycles() > 3 * below.avgPacketLatencyCycles(),
                above.avgPacketLatencyCycles() + " vs " + below.avgPacketLatencyCycles());
        assertTrue(aboveLonger.avgPacketLatencyCycles() > 1.5 * above.avgPacketLatencyCycles(),
                "latency grows with the window above saturation: " + aboveLonger.avgPacketLatencyCycles() + " vs " + above.avgPacketLatencyCycles());
        double centre = above.linkUtilisation().get("link(3,0).east");
        assertTrue(centre > 0.9, "the links at the bisection are the bottleneck: " + centre);
    }

    @Test
    void theReportIsTheSameForAnyPartitioning() {
        RunReport.Noc n = assertPartitionIndependent(Scenarios.inline(MESH_8X8, "workload.injectionRate=0.35", "workload.measureCycles=600"));
        assertTrue(n.measuredPackets() > 10_000, "enough traffic to mean something: " + n.measuredPackets());
    }

    @Test
    void cutThroughWithCreditsIsPartitionIndependent() {
        // Long packets as worms over finite buffers: head and tail times and credits at the tail.
        RunReport.Noc n = assertPartitionIndependent(Scenarios.inline(MESH_8X8, "hardware.noc.flowControl=cut-through",
                "hardware.noc.bufferPackets=2", "workload.packetBytes=256", "workload.injectionRate=0.04", "workload.measureCycles=600"));
        assertTrue(n.measuredPackets() > 1_000, "enough traffic to mean something: " + n.measuredPackets());
    }

    @Test
    void theVcRouterIsPartitionIndependentOnAMeshAndATorus() {
        // Four-flit packets near the 2-VC router's saturation, and a torus with dateline VCs.
        RunReport.Noc mesh = assertPartitionIndependent(Scenarios.inline(MESH_8X8, "hardware.noc.router=vc", "hardware.noc.vc.count=2",
                "workload.packetBytes=128", "workload.injectionRate=0.06", "workload.measureCycles=600"));
        assertTrue(mesh.measuredPackets() > 1_500, "enough traffic to mean something: " + mesh.measuredPackets());
        assertPartitionIndependent(Scenarios.inline(MESH_8X8, "hardware.noc.router=vc", "hardware.noc.topology=torus2d",
                "hardware.noc.vc.bufferFlits=2", "hardware.noc.vc.allocator=separable-input-first", "workload.pattern=transpose",
                "workload.injectionRate=0.3", "workload.measureCycles=600"));
    }

    @Test
    void aRingOfFourChipsIsPartitionIndependentAndSlowerAcrossChips() {
        String[] ring = {"hardware.noc.width=4", "hardware.noc.height=4", "hardware.chips.count=4", "hardware.chips.topology=ring",
                "hardware.chips.link.bandwidthGBps=16", "hardware.chips.link.latencyNs=20", "workload.injectionRate=0.02"};
        LoadedScenario s = Scenarios.inline(MESH_8X8, ring);
        assertPartitionIndependent(s);
        RunReport report = Scenarios.run(s, out.resolve("ring"));
        assertEquals(4L * 48 + 4 * 2, report.components().get("link"), "4 chips of 48 directed mesh links, and 2 chip links (east, west) out of each chip");
        assertTrue(report.noc().avgPacketLatencyCycles() > 30, "most packets cross a 20 ns chip link: " + report.noc().avgPacketLatencyCycles());
        assertEquals(report.noc().offeredPacketsPerNodePerCycle(), report.noc().acceptedPacketsPerNodePerCycle(), 0.002);
    }

    @Test
    void theVcRouterOnATorusOfChipsWithSpeedupsIsPartitionIndependent() {
        // Four chips of 4 x 4 in a 2 x 2 torus: four VC classes (two chip dimensions, two dateline
        // classes each) over four-flit buffers, chip links of 24 GB/s (a 32 B flit every 1.33
        // cycles, queued at the port router) and 2 ns, speedups 2.
        RunReport.Noc n = assertPartitionIndependent(Scenarios.inline(MESH_8X8, "hardware.noc.width=4", "hardware.noc.height=4",
                "hardware.chips.count=4", "hardware.chips.topology=torus2d", "hardware.chips.width=2", "hardware.chips.link.bandwidthGBps=24",
                "hardware.chips.link.latencyNs=2", "hardware.noc.router=vc", "hardware.noc.vc.count=4", "hardware.noc.vc.bufferFlits=4",
                "hardware.noc.vc.inputSpeedup=2", "hardware.noc.vc.outputSpeedup=2", "workload.packetBytes=128", "workload.injectionRate=0.01",
                "workload.measureCycles=1000"));
        assertTrue(n.measuredPackets() > 500, "enough traffic to mean something: " + n.measuredPackets());
        assertEquals(n.offeredPacketsPerNodePerCycle(), n.acceptedPacketsPerNodePerCycle(), 0.005);
    }

    @Test
    void uniformTrafficAcrossThePodIsPartitionIndependent() {
        // The ipu-pod4-like preset with 32 tiles per chip: three quarters of the packets cross an IPU-Link bundle.
        LoadedScenario s = Scenarios.inline("""
                name: pod-traffic
                seed: 5
                hardware: {preset: ipu-pod4-like, noc: {width: 8, height: 4}}
                workload: {kind: synthetic-traffic, pattern: uniform, injectionRate: 0.03, packetBytes: 64, warmupCycles: 300, measureCycles: 1500}
                run: {payload: timing}
                """);
        RunReport.Noc n = assertPartitionIndependent(s);
        assertTrue(n.measuredPackets() > 4_000, "enough traffic to mean something: " + n.measuredPackets());
        // 250 ns = 331 cycles of wire on most routes, against 2 x 16 + 2 + 8 cycles within a chip.
        assertTrue(n.avgPacketLatencyCycles() > 200, "most packets cross a chip link: " + n.avgPacketLatencyCycles());
        assertEquals(n.offeredPacketsPerNodePerCycle(), n.acceptedPacketsPerNodePerCycle(), 0.005);
    }

    /** Runs on 1, 2 and 4 partitions; everything must agree. Returns the noc section. */
    private static RunReport.Noc assertPartitionIndependent(LoadedScenario s) {
        var built = Runner.prepare(s).built();
        RunResult reference = null;
        RunReport.Noc referenceNoc = null;
        for (int partitions : new int[] {1, 2, 4}) {
            RunResult r = Engine.run(built.assembly(), Placement.byLocality(built.assembly(), partitions), 2, RunObserver.NONE);
            RunReport.Noc n = TrafficStats.summarise(r, id -> built.assembly().node(id).label());
            if (reference == null) {
                reference = r;
                referenceNoc = n;
                continue;
            }
            assertEquals(reference.simulatedPs(), r.simulatedPs(), "partitions " + partitions);
            assertEquals(reference.events(), r.events(), "partitions " + partitions);
            assertEquals(reference.reports(), r.reports(), "partitions " + partitions);
            assertEquals(referenceNoc, n, "partitions " + partitions);
        }
        return referenceNoc;
    }
}
