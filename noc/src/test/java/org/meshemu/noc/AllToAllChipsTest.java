package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.meshemu.noc.MultiChipTest.CHIP_BW;
import static org.meshemu.noc.MultiChipTest.CHIP_LATENCY;
import static org.meshemu.noc.ZeroLoadLatencyTest.CYCLE;
import static org.meshemu.noc.ZeroLoadLatencyTest.INJECTION;
import static org.meshemu.noc.ZeroLoadLatencyTest.LINK;
import static org.meshemu.noc.ZeroLoadLatencyTest.ROUTER;
import static org.meshemu.noc.ZeroLoadLatencyTest.ser;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

/**
 * All-to-all chips joined by chip links: every exchange port drives the chip links, and a chip
 * link enters the far chip's exchange at its gateway port. With S-byte packets (P of them, all
 * full), ser the tile links' and serChip the chip link's serialisation, across one chip link:
 * <pre>
 *   injection + 2 linkLatency + chipLatency + 2 routerDelay + 2 ser(S) + serChip(S) + (P - 1) max(ser(S), serChip(S))
 * </pre>
 * Endpoints are chip-major: 2 x 2 chips, so chip c's node i is endpoint 4c + i.
 */
class AllToAllChipsTest {

    static Fabric chips(int count, String arrangement, long maxPacketBytes, int bufferPackets, int chipBytesPerCycle,
                                   Map<String, Integer> ports) {
        return ZeroLoadLatencyTest.hardware(ZeroLoadLatencyTest.noc("all-to-all", 2, 2, "xy", maxPacketBytes, bufferPackets),
                new ChipsSpec(count, arrangement, 0, new ChipLinkSpec(null, chipBytesPerCycle, null, CHIP_LATENCY), ports));
    }

    static Fabric two(long maxPacketBytes, int bufferPackets) {
        return chips(2, "all-to-all", maxPacketBytes, bufferPackets, CHIP_BW, Map.of());
    }

    static long serChip(long bytes, int chipBytesPerCycle) { return Math.ceilDiv(bytes, chipBytesPerCycle); }

    /** The closed form above, in cycles, for P packets of S bytes. */
    static long acrossOneChipLink(long s, long p, int chipBytesPerCycle) {
        return INJECTION + 2 * LINK + CHIP_LATENCY + 2 * ROUTER + 2 * ser(s) + serChip(s, chipBytesPerCycle)
                + (p - 1) * Math.max(ser(s), serChip(s, chipBytesPerCycle));
    }

    static long measure(Fabric hw, int src, int dst, long bytes) {
        return MultiChipTest.measure(hw, src, dst, bytes) / CYCLE;
    }

    @Test
    void aChipCrossingIsOneMoreExchangeTraversalAndTheChipLinkWhateverThePair() {
        Fabric hw = two(0, 0);
        for (int[] pair : new int[][] {{0, 4}, {0, 7}, {3, 5}, {6, 1}, {5, 2}}) {
            assertEquals(acrossOneChipLink(40, 1, CHIP_BW), measure(hw, pair[0], pair[1], 40), "pair " + pair[0] + "->" + pair[1]);
        }
        assertEquals(INJECTION + 2 * ser(40) + 2 * LINK + ROUTER + (ROUTER + Math.ceilDiv(40, CHIP_BW) + CHIP_LATENCY),
                measure(hw, 1, 6, 40), "the single-chip exchange plus one chip hop (router, serialisation, wire)");
        // Within a chip the exchange is exactly the single chip's.
        assertEquals(INJECTION + 2 * ser(40) + 2 * LINK + ROUTER, measure(hw, 5, 6, 40));
    }

    @Test
    void serialisationIsProbedAtOneBytePastAFullCycleOnEachLink() {
        Fabric hw = two(0, 0);
        // 40 -> 41 bytes: the chip link (8 B/cycle) takes one cycle more, the tile links (16 B/cycle) do not.
        long at = measure(hw, 0, 5, 5L * CHIP_BW), past = measure(hw, 0, 5, 5L * CHIP_BW + 1);
        assertEquals(acrossOneChipLink(5L * CHIP_BW, 1, CHIP_BW), at);
        assertEquals(acrossOneChipLink(5L * CHIP_BW + 1, 1, CHIP_BW), past);
        assertEquals(at + 1, past);
        // 48 -> 49 bytes: both tile links and the chip link take one cycle more.
        long full = measure(hw, 0, 5, 48), over = measure(hw, 0, 5, 49);
        assertEquals(acrossOneChipLink(48, 1, CHIP_BW), full);
        assertEquals(full + 3, over);
    }

    @Test
    void packetsPipelineBehindTheSlowestLink() {
        // 4 packets of 32 bytes: the chip link (4 cycles each) paces them, then the tile link (2 each).
        assertEquals(acrossOneChipLink(32, 4, CHIP_BW), measure(two(32, 0), 2, 6, 128));
        assertEquals(INJECTION + 2 * LINK + CHIP_LATENCY + 2 * ROUTER + 2 * 2 + 4 + 3 * 4, measure(two(32, 0), 2, 6, 128));
        Fabric fastChipLink = chips(2, "all-to-all", 32, 0, 64, Map.of());
        assertEquals(acrossOneChipLink(32, 4, 64), measure(fastChipLink, 2, 6, 128));
        assertEquals(INJECTION + 2 * LINK + CHIP_LATENCY + 2 * ROUTER + 2 * 2 + 1 + 3 * 2, measure(fastChipLink, 2, 6, 128));
    }

    @Test
    void aRouteThroughAChipCrossesItsGatewayOnly() {
        // A ring of 4: chip 0 -> chip 2 goes east twice, through chip 1's gateway port and no tile of it.
        Fabric ring = chips(4, "ring", 0, 0, CHIP_BW, Map.of());
        long chipHop = ROUTER + Math.ceilDiv(40, CHIP_BW) + CHIP_LATENCY;
        assertEquals(INJECTION + 2 * ser(40) + 2 * LINK + ROUTER + 2 * chipHop, measure(ring, 1, 8 + 3, 40));
        assertEquals(acrossOneChipLink(40, 1, CHIP_BW), measure(ring, 1, 4 + 3, 40));
    }

    @Test
    void everySenderOfAChipSharesTheChipLinkFifo() {
        // Endpoints 0..3 of chip 0 send 40 bytes each to chip 1 at once: the chip link takes them one after another.
        List<Probe.Send> toChip1 = List.of(new Probe.Send(0, 5, 40));
        Map<String, Long> got = ZeroLoadLatencyTest.run(two(0, 0), Map.of(0, toChip1, 1, toChip1, 2, toChip1, 3, toChip1));
        List<Long> sorted = got.values().stream().sorted().toList();
        long first = acrossOneChipLink(40, 1, CHIP_BW) * CYCLE, step = Math.ceilDiv(40, CHIP_BW) * CYCLE;
        assertEquals(List.of(first, first + step, first + 2 * step, first + 3 * step), sorted);
    }

    @Test
    void aOnePacketBufferPacesTheChipLinkAtItsCreditRoundTrip() {
        // The chip link's credit comes back when the far eject link starts the packet: serChip + 2 chipLatency + routerDelay.
        long s = 16, p = 5, rtt = serChip(s, CHIP_BW) + 2 * CHIP_LATENCY + ROUTER;
        long free = measure(two(s, 0), 0, 5, p * s);
        assertEquals(acrossOneChipLink(s, p, CHIP_BW), free);
        assertEquals(free + (p - 1) * (rtt - serChip(s, CHIP_BW)), measure(two(s, 1), 0, 5, p * s));
        // A buffer covering the round trip keeps the zero-load latency.
        assertEquals(free, measure(two(s, (int) Math.ceilDiv(rtt, serChip(s, CHIP_BW))), 0, 5, p * s));
    }

    @Test
    void chipPortsAreRejectedBecauseEveryExchangePortIsOne() {
        InputException e = assertThrows(InputException.class, () -> MultiChipTest.measure(chips(2, "all-to-all", 0, 0, CHIP_BW,
                Map.of("gateway", 0)), 0, 5, 40));
        assertEquals("hardware.chips.ports: must be empty for 'all-to-all' chips (every exchange port drives the chip links), got {gateway=0}",
                e.getMessage());
    }
}
