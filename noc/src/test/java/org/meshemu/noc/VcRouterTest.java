package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.noc.ZeroLoadLatencyTest.BW;
import static org.meshemu.noc.ZeroLoadLatencyTest.CYCLE;
import static org.meshemu.noc.ZeroLoadLatencyTest.INJECTION;
import static org.meshemu.noc.ZeroLoadLatencyTest.LINK;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

/**
 * The input-queued VC router: zero-load latency against its closed form (BookSim2's with its
 * defaults), a pipeline stage probed at n-1 and n, contention on one output, finite buffers on a
 * torus that no longer deadlock, and bad configurations named.
 */
class VcRouterTest {

    static NocSpec vc(String topology, int w, int h, VcSpec spec) {
        return ZeroLoadLatencyTest.noc(topology, w, h, "xy", 0, 0).withRouter("vc", spec);
    }

    /** injection + (h + 1) (routing + vcAlloc + swAlloc + stPrepare + stFinal) + h L + (L + 1) + F - 1. */
    static long closedForm(VcPipeline p, int hops, long bytes) {
        long perRouter = p.routingDelay() + p.vcAllocDelay() + p.swAllocDelay() + p.stPrepareDelay() + p.stFinalDelay();
        return INJECTION + (hops + 1) * perRouter + hops * LINK + (LINK + 1) + Math.ceilDiv(bytes, BW) - 1;
    }

    @Test
    void zeroLoadLatencyIsTheClosedFormForOneAndFourFlits() {
        NocSpec mesh = vc("mesh2d", 8, 8, VcSpec.BOOKSIM);
        Grid2d.Shape shape = new Grid2d.Mesh().shape(mesh);
        for (int[] pair : new int[][] {{0, 0}, {0, 1}, {0, 63}, {63, 0}, {9, 46}}) {
            int h = shape.hops(pair[0], pair[1]);
            for (long bytes : new long[] {BW, 4 * BW, 4 * BW + 1}) {
                assertEquals(closedForm(VcPipeline.BOOKSIM, h, bytes), ZeroLoadLatencyTest.measure(mesh, pair[0], pair[1], bytes),
                        pair[0] + "->" + pair[1] + ", " + bytes + " B");
            }
        }
        // BookSim's formula with its defaults, L = 1 and injection 1: 2 + 5 (h + 1) + F - 1.
        assertEquals(2 + 5 * (14 + 1) + 3, closedForm(VcPipeline.BOOKSIM, 14, 4 * BW) - (INJECTION - 1) - 14 * (LINK - 1) - (LINK - 1));
    }

    @Test
    void everyPipelineStageCostsItsCyclesOnEveryRouter() {
        VcPipeline base = new VcPipeline(1, 1, 1, 0, 1, 0);
        for (VcPipeline p : List.of(base, new VcPipeline(2, 1, 1, 0, 1, 0), new VcPipeline(1, 0, 1, 0, 1, 0),
                new VcPipeline(1, 1, 2, 0, 1, 0), new VcPipeline(1, 1, 1, 1, 1, 0), new VcPipeline(0, 0, 1, 0, 2, 3))) {
            NocSpec line = vc("mesh2d", 4, 1, new VcSpec(2, 4, "islip", 1, p));
            assertEquals(closedForm(p, 3, 2 * BW), ZeroLoadLatencyTest.measure(line, 0, 3, 2 * BW), p.toString());
        }
    }

    @Test
    void twoPacketsForOneOutputTakeTurnsAFlitACycle() {
        // Endpoints 0 and 2 of a 3 x 1 line both send 4 flits to endpoint 1, reaching its router in
        // the same cycle on two inputs: the ejection passes one flit a cycle and, the switch not
        // being held for a packet (BookSim's default), the round-robin arbiters interleave them:
        // the 8 flits leave in 8 consecutive cycles, the tails in the last two.
        for (String allocator : List.of("islip", "separable-input-first")) {
            NocSpec line = vc("mesh2d", 3, 1, new VcSpec(2, 8, allocator, 1, VcPipeline.BOOKSIM));
            Map<String, Long> got = ZeroLoadLatencyTest.run(line, Map.of(0, List.of(new Probe.Send(0, 1, 4 * BW)), 2, List.of(new Probe.Send(0, 1, 4 * BW))));
            long first = Math.min(got.get("1:latency.0.0"), got.get("1:latency.2.0")), second = Math.max(got.get("1:latency.0.0"), got.get("1:latency.2.0"));
            long alone = closedForm(VcPipeline.BOOKSIM, 1, 4 * BW);
            assertEquals((alone + 3) * CYCLE, first, allocator);
            assertEquals(first + CYCLE, second, allocator);
        }
    }

    @Test
    void aTorusWithOneFlitBuffersUsesDatelineVcsAndDoesNotDeadlock() {
        // The traffic that deadlocks the ideal router with one-packet buffers (CreditFlowControlTest):
        // every node of a ring of 4 sends 20 packets two hops east at once.
        Map<Integer, List<Probe.Send>> sends = new HashMap<>();
        for (int n = 0; n < 4; n++) {
            List<Probe.Send> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) mine.add(new Probe.Send(0, (n + 2) % 4, 4 * BW));
            sends.put(n, mine);
        }
        NocSpec torus = vc("torus2d", 4, 1, new VcSpec(2, 1, "islip", 1, VcPipeline.BOOKSIM));
        assertEquals(80, ZeroLoadLatencyTest.run(torus, sends).size(), "every message delivered");
    }

    @Test
    void badConfigurationsAreNamed() {
        InputException router = assertThrows(InputException.class,
                () -> ZeroLoadLatencyTest.measure(ZeroLoadLatencyTest.noc("mesh2d", 2, 2, "xy", 0, 0).withRouter("wormhole", VcSpec.BOOKSIM), 0, 1, 16));
        assertTrue(router.getMessage().contains("hardware.noc.router"), router.getMessage());
        InputException allocator = assertThrows(InputException.class, () -> ZeroLoadLatencyTest.measure(
                vc("mesh2d", 2, 2, new VcSpec(2, 2, "wavefront", 1, VcPipeline.BOOKSIM)), 0, 1, 16));
        assertTrue(allocator.getMessage().contains("hardware.noc.vc.allocator"), allocator.getMessage());
        InputException torus = assertThrows(InputException.class,
                () -> ZeroLoadLatencyTest.measure(vc("torus2d", 4, 1, VcSpec.BOOKSIM.withCount(1)), 0, 1, 16));
        assertTrue(torus.getMessage().contains("hardware.noc.vc.count"), torus.getMessage());
        InputException exchange = assertThrows(InputException.class,
                () -> ZeroLoadLatencyTest.measure(vc("all-to-all", 2, 2, VcSpec.BOOKSIM), 0, 1, 16));
        assertTrue(exchange.getMessage().contains("hardware.noc.router"), exchange.getMessage());
    }
}
