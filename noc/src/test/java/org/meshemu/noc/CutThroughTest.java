package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.meshemu.noc.ZeroLoadLatencyTest.BW;
import static org.meshemu.noc.ZeroLoadLatencyTest.CYCLE;
import static org.meshemu.noc.ZeroLoadLatencyTest.INJECTION;
import static org.meshemu.noc.ZeroLoadLatencyTest.LINK;
import static org.meshemu.noc.ZeroLoadLatencyTest.ROUTER;
import static org.meshemu.noc.ZeroLoadLatencyTest.closedForm;
import static org.meshemu.noc.ZeroLoadLatencyTest.ser;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cut-through ({@code hardware.noc.flowControl: cut-through}): the head (one flit, F = min(B,
 * bytesPerCycle)) goes on after ser(F), the tail follows; a message of P packets of S bytes (the
 * last L) over h hops takes, without contention,
 * <pre>
 *   injection + h (routerDelay + ser(F) + linkLatency) + routerDelay + (P - 1) ser(S) + ser(L) - ser(F)
 * </pre>
 * and costs the same events per hop whatever its size.
 */
class CutThroughTest {

    static NocSpec cutThrough(String topology, int w, int h, long maxPacketBytes, int bufferPackets) {
        return ZeroLoadLatencyTest.noc(topology, w, h, "xy", maxPacketBytes, bufferPackets).withFlowControl("cut-through");
    }

    static long closedFormCutThrough(int hops, long bytes, long maxPacketBytes) {
        long s = maxPacketBytes == 0 ? bytes : Math.min(bytes, maxPacketBytes);
        long p = Math.ceilDiv(bytes, s), last = bytes - (p - 1) * s, head = ser(Math.min(s, BW));
        return INJECTION + hops * (ROUTER + head + LINK) + ROUTER + (p - 1) * ser(s) + ser(last) - head;
    }

    static long measure(NocSpec noc, int src, int dst, long bytes) {
        return ZeroLoadLatencyTest.measure(noc, src, dst, bytes);
    }

    @Test
    void aLongMessagePaysItsSerialisationOnceNotOnEveryHop() {
        NocSpec mesh = cutThrough("mesh2d", 4, 3, 0, 0);
        Grid2d.Shape shape = new Grid2d.Mesh().shape(mesh);
        for (int[] pair : new int[][] {{0, 1}, {0, 11}, {11, 0}, {3, 8}}) {
            int h = shape.hops(pair[0], pair[1]);
            assertEquals(closedFormCutThrough(h, 1000, 0), measure(mesh, pair[0], pair[1], 1000), "pair " + pair[0] + "->" + pair[1]);
            // store-and-forward pays ser(B) - ser(flit) more on every hop but the first
            assertEquals(closedForm(h, 1000, 0) - (h - 1) * (ser(1000) - 1), measure(mesh, pair[0], pair[1], 1000));
        }
    }

    @Test
    void theHeadIsProbedAtOneFlitAndOneBytePast() {
        NocSpec line = cutThrough("mesh2d", 4, 1, 0, 0);
        // A one-flit packet is the same either way; one byte more adds one cycle once, not per hop.
        assertEquals(closedForm(3, BW, 0), measure(line, 0, 3, BW));
        assertEquals(closedForm(3, BW, 0) + 1, measure(line, 0, 3, BW + 1));
        assertEquals(closedFormCutThrough(3, BW + 1, 0), measure(line, 0, 3, BW + 1));
    }

    @Test
    void packetsOfASplitMessagePipelineBehindTheFirstHead() {
        assertEquals(closedFormCutThrough(5, 256, 64), measure(cutThrough("mesh2d", 6, 1, 64, 0), 0, 5, 256));
        assertEquals(closedFormCutThrough(3, 128, 63), measure(cutThrough("mesh2d", 4, 1, 63, 0), 0, 3, 128));
        // Cut-through of whole messages equals store-and-forward of one-flit packets, in fewer events.
        assertEquals(closedForm(5, 256, BW), closedFormCutThrough(5, 256, 0));
    }

    @Test
    void aMegabyteCostsTheEventsOfThirtyTwoBytes() {
        Fabric hw = ZeroLoadLatencyTest.single(cutThrough("mesh2d", 8, 8, 0, 4));
        long small = ZeroLoadLatencyTest.simulate(hw, Map.of(0, List.of(new Probe.Send(0, 63, 32)))).result().events();
        var big = ZeroLoadLatencyTest.simulate(hw, Map.of(0, List.of(new Probe.Send(0, 63, 1L << 20))));
        assertEquals(small, big.result().events());
        assertEquals(closedFormCutThrough(14, 1L << 20, 0) * CYCLE, big.counters().get("63:latency.0.0"));
    }

    @Test
    void aSlowerLinkUpstreamHoldsAFasterOneUntilTheTailHasArrived() {
        // Chip 0's east port (endpoint 1) to chip 1's node 0 over a chip link of 4 B/cycle: the
        // on-chip link after it (16 B/cycle) cannot end before the tail has crossed the chip link.
        Fabric two = ZeroLoadLatencyTest.hardware(cutThrough("mesh2d", 2, 1, 0, 0),
                new ChipsSpec(2, "ring", 0, new ChipLinkSpec(null, 4, null, 7), Map.of()));
        long bytes = 160; // 40 cycles on the chip link, 10 on-chip
        // injection, port router, chip link head (16 B = 4 cycles) and wire, router, then the tail:
        // it leaves the chip link 40 cycles after the start and reaches the router after the wire.
        long chipStart = INJECTION + ROUTER;
        long tailAtRouter = chipStart + 40 + 7;
        long expected = tailAtRouter + ROUTER; // ejection at the destination router (node 2 is chip 1's port)
        assertEquals(expected * CYCLE, ZeroLoadLatencyTest.run(two, Map.of(1, List.of(new Probe.Send(0, 2, bytes)))).get("2:latency.1.0"));
    }
}
