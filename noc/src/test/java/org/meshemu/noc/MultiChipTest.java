package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.meshemu.noc.ZeroLoadLatencyTest.BW;
import static org.meshemu.noc.ZeroLoadLatencyTest.CYCLE;
import static org.meshemu.noc.ZeroLoadLatencyTest.INJECTION;
import static org.meshemu.noc.ZeroLoadLatencyTest.LINK;
import static org.meshemu.noc.ZeroLoadLatencyTest.ROUTER;
import static org.meshemu.noc.ZeroLoadLatencyTest.ser;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.FieldException;

/**
 * Chips joined by chip links: zero-load latency is the sum over hops of (router + serialisation +
 * latency) of each hop's link, plus injection and ejection, with the chip link as one hop.
 */
class MultiChipTest {
    static final int CHIP_BW = 8, CHIP_LATENCY = 50;

    static Fabric hardware(int w, int h, int count, String arrangement, int chipsWide, Map<String, Integer> ports,
                                      ChipLinkSpec link) {
        return ZeroLoadLatencyTest.hardware(ZeroLoadLatencyTest.noc("mesh2d", w, h, "xy", 0),
                new ChipsSpec(count, arrangement, chipsWide, link, ports));
    }

    static ChipLinkSpec cycles() { return new ChipLinkSpec(null, CHIP_BW, null, CHIP_LATENCY); }

    static long measure(Fabric hw, int src, int dst, long bytes) {
        return ZeroLoadLatencyTest.run(hw, Map.of(src, List.of(new Probe.Send(0, dst, bytes)))).get(dst + ":latency." + src + ".0");
    }

    static long hop(long bytes) { return ROUTER + ser(bytes) + LINK; }

    static long chipHop(long bytes) { return ROUTER + Math.ceilDiv(bytes, CHIP_BW) + CHIP_LATENCY; }

    @Test
    void aRingOfTwoChipsCrossesAtTheEastAndWestPorts() {
        // 4 x 1 chips: chip 0's east port is its node 3, chip 1's west port its node 0.
        Fabric hw = hardware(4, 1, 2, "ring", 0, Map.of(), cycles());
        long bytes = 40;
        // endpoint 0 (chip 0, x=0) -> endpoint 6 (chip 1, x=2): 3 hops, the chip link, 2 hops.
        assertEquals((INJECTION + 3 * hop(bytes) + chipHop(bytes) + 2 * hop(bytes) + ROUTER) * CYCLE, measure(hw, 0, 6, bytes));
        // From the port router itself: no on-chip hop before the chip link.
        assertEquals((INJECTION + chipHop(bytes) + ROUTER) * CYCLE, measure(hw, 3, 4, bytes));
        // Within a chip nothing changes.
        assertEquals((INJECTION + 2 * hop(bytes) + ROUTER) * CYCLE, measure(hw, 5, 7, bytes));
    }

    @Test
    void chipLinkSerialisationIsProbedAtOneBytePastAFullCycle() {
        Fabric hw = hardware(2, 1, 2, "ring", 0, Map.of(), cycles());
        long at = measure(hw, 1, 2, 2L * CHIP_BW), past = measure(hw, 1, 2, 2L * CHIP_BW + 1);
        assertEquals((INJECTION + chipHop(2L * CHIP_BW) + ROUTER) * CYCLE, at);
        assertEquals(at + CYCLE, past);
    }

    @Test
    void portsAreConfigurable() {
        // Every chip's east port moved to node 0 (the west port stays at node 0 too): a packet from
        // node 3 now travels west 3 hops to reach it, then enters chip 1 at node 0.
        Fabric hw = hardware(4, 1, 2, "ring", 0, Map.of("east", 0), cycles());
        assertEquals((INJECTION + 3 * hop(40) + chipHop(40) + ROUTER) * CYCLE, measure(hw, 3, 4, 40));
    }

    @Test
    void aGridOfChipsRoutesXFirstAndAllToAllGoesDirect() {
        // 2 x 2 chips of 3 x 3 cores; chip-major endpoints: chip c node i = 9c + i. Ports at edge
        // middles: east (2,1)=5, west (0,1)=3, north (1,0)=1, south (1,2)=7; gateway the centre 4.
        Fabric mesh = hardware(3, 3, 4, "mesh2d", 2, Map.of(), cycles());
        // chip 0 centre (4) -> chip 3 centre (31): east to node 5 (1 hop), chip link into chip 1 at
        // node 3, to its south port 7 (2 hops), chip link into chip 3 at node 1, to 4 (1 hop).
        assertEquals((INJECTION + hop(40) + chipHop(40) + 2 * hop(40) + chipHop(40) + hop(40) + ROUTER) * CYCLE, measure(mesh, 4, 31, 40));
        Fabric direct = hardware(3, 3, 4, "all-to-all", 0, Map.of(), cycles());
        assertEquals((INJECTION + chipHop(40) + hop(40) + ROUTER) * CYCLE, measure(direct, 4, 27 + 5, 40));
    }

    @Test
    void gigabytesPerSecondAreExactToThePicosecond() {
        Link.Rate rate = new ChipLinkSpec(3.0, null, 20.0, null).rate(CYCLE);
        assertEquals(334, rate.serialisationPs(1), "1 byte at 3 GB/s is 333.3 ps, rounded up");
        assertEquals(1000, rate.serialisationPs(3));
        assertEquals(1334, rate.serialisationPs(4));
        assertEquals(5120, new ChipLinkSpec(12.5, null, 1.0, null).rate(CYCLE).serialisationPs(64));
        assertEquals(20_000, new ChipLinkSpec(3.0, null, 20.0, null).latencyPs(CYCLE));
    }

    @Test
    void chipLinksNeedBandwidthAndLatencyGivenOnce() {
        assertThrows(FieldException.class, () -> hardware(2, 1, 2, "ring", 0, Map.of(), new ChipLinkSpec(null, null, 1.0, null)));
        FieldException both = assertThrows(FieldException.class, () -> new ChipLinkSpec(10.0, 8, 1.0, null));
        assertEquals("bandwidthGBps", both.field());
        // A single chip needs no chip link.
        assertEquals(4, hardware(4, 1, 1, "ring", 0, Map.of(), new ChipLinkSpec(null, null, null, null)).endpoints());
    }
}
