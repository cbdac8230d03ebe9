package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.report.EnergySpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;

/**
 * The vc router's links in the report (docs/REPORT.md), defined as the ideal router's link
 * components: busy time / run time per link, bytes per hop, energy per bit and hop. Checked by
 * hand on traffic whose every packet is known: on a 2 x 2 mesh each endpoint sends to the
 * opposite corner every cycle (neighbor traffic), so each of the 8 directed links carries exactly
 * one source's packets, one hop each; a 48-byte packet is two 32-byte flits, the second half full.
 */
class VcLinkFiguresTest {
    @TempDir Path out;

    static final String MESH_2X2 = """
            name: vc-links
            seed: 1
            hardware:
              core: {clockGHz: 1.0}
              noc: {topology: mesh2d, width: 2, height: 2, routing: xy, router: vc, link: {bytesPerCycle: 32, latencyCycles: 1},
                    routerDelayCycles: 1, injectionCycles: 1}
              energy: {pjPerBitHop: 0.25}
            workload: {kind: synthetic-traffic, pattern: neighbor, injectionRate: 1.0, packetBytes: 48, warmupCycles: 20, measureCycles: 30}
            run: {payload: timing}
            """;

    @Test
    void linkUtilisationBytesAndEnergyAreTheHandCount() {
        LoadedScenario s = Scenarios.inline(MESH_2X2);
        RunReport r = Scenarios.run(s, out);
        EnergySpec e = s.scenario().hardware().get(EnergySpec.class);
        long cyclePs = 1000, packets = 20 + 30, flits = 2, bytes = 48; // every endpoint injects every cycle of warmup + measure
        double t = r.simulatedTimePs();

        // (x, y) -> (x+1 mod 2, y+1 mod 2): first along x (the link out of the source), then along y (out of the turn).
        Map<String, Double> expected = new TreeMap<>();
        for (int x = 0; x < 2; x++) {
            for (int y = 0; y < 2; y++) {
                double busy = packets * flits * cyclePs / t;
                expected.put("link(" + x + "," + y + ")." + (x == 0 ? "east" : "west"), busy);
                expected.put("link(" + (1 - x) + "," + y + ")." + (y == 0 ? "south" : "north"), busy);
            }
        }
        assertEquals(expected.keySet(), r.noc().linkUtilisation().keySet(), "one figure per directed link");
        expected.forEach((link, u) -> assertEquals(u, r.noc().linkUtilisation().get(link), 1e-12, link));
        double each = packets * flits * cyclePs / t;
        assertEquals(each, r.utilisation().get("link").mean(), 1e-12, "utilisation.link.mean");
        assertEquals(each, r.utilisation().get("link").max(), 1e-12, "utilisation.link.max");

        long linkBytes = 8 * packets * bytes; // 8 links, each one hop of every packet of its source
        assertEquals(linkBytes, r.traffic().nocLinkBytes(), "traffic.nocLinkBytes");
        assertEquals(linkBytes * 8 * e.pjPerBitHop(), r.energy().linkPj(), 1e-9, "energy.linkPj: bits x pJ per bit and hop");
    }

    @Test
    void onARingOfChipsTheVcRouterReportsTheSameLinksBytesAndEnergyAsTheIdealOne() {
        // The same packets (every endpoint every cycle, to a fixed destination) over the same routes: both models name
        // the same links, on-chip and chip links, and serialise the same bytes on them; an on-chip link is busy
        // 2 cycles per 48-byte packet in both (a packet of 2 flit times, or 2 flits), over runs of different lengths.
        String[] ring = {"hardware.noc.router=ROUTER", "hardware.chips.count=4", "hardware.chips.topology=ring",
                "hardware.chips.link.bandwidthGBps=16", "hardware.chips.link.latencyNs=20", "workload.warmupCycles=5", "workload.measureCycles=10"};
        RunReport ideal = Scenarios.run(Scenarios.inline(MESH_2X2, with(ring, "ideal")), out.resolve("ideal"));
        RunReport vc = Scenarios.run(Scenarios.inline(MESH_2X2, with(ring, "vc")), out.resolve("vc"));
        assertEquals(ideal.noc().linkUtilisation().keySet(), vc.noc().linkUtilisation().keySet());
        assertEquals(4L * 8 + 4 * 2, vc.noc().linkUtilisation().size(), "4 chips of 8 directed links, 2 chip links out of each");
        assertEquals(ideal.traffic().nocLinkBytes(), vc.traffic().nocLinkBytes(), "bytes over all hops");
        assertEquals(ideal.energy().linkPj(), vc.energy().linkPj(), 1e-9 * ideal.energy().linkPj(), "energy.linkPj");
        ideal.noc().linkUtilisation().forEach((link, u) -> {
            if (link.contains("chiplink")) return;
            assertEquals(u * ideal.simulatedTimePs(), vc.noc().linkUtilisation().get(link) * vc.simulatedTimePs(), 1e-6, link + ": busy ps");
        });
    }

    private static String[] with(String[] overrides, String router) {
        return java.util.Arrays.stream(overrides).map(o -> o.replace("ROUTER", router)).toArray(String[]::new);
    }
}
