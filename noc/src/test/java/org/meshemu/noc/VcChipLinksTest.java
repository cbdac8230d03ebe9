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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.EmulationException;
import org.meshemu.scenario.InputException;

/**
 * The vc router on several chips: a chip link is one more output of the port router and one more
 * input, with its own VCs and credits, of the far chip's port router. Zero-load latency over a
 * chip link against the closed form; the chip-ring traffic that deadlocks the ideal router with
 * finite buffers completes with dateline classes; heavy traffic on rings, meshes and tori of chips
 * with one-flit buffers completes, identically on any partitioning and thread count.
 */
class VcChipLinksTest {
    static final int CHIP_LATENCY = 7;

    static Fabric chips(int w, int h, int count, String arrangement, int chipsWide, int chipBytesPerCycle, VcSpec vc) {
        return ZeroLoadLatencyTest.hardware(VcRouterTest.vc("mesh2d", w, h, vc),
                new ChipsSpec(count, arrangement, chipsWide, new ChipLinkSpec(null, chipBytesPerCycle, null, CHIP_LATENCY), Map.of()));
    }

    static long measure(Fabric hw, int src, int dst, long bytes) {
        return ZeroLoadLatencyTest.run(hw, Map.of(src, List.of(new Probe.Send(0, dst, bytes)))).get(dst + ":latency." + src + ".0") / CYCLE;
    }

    /**
     * The vc router's closed form over h hops of which one is a chip link of {@link #CHIP_LATENCY}
     * cycles: a hop of its own latency. A slower chip link spaces the flits out, so the tail
     * reaches the next router {@code lateCycles} later than on a link of the flit's width; each
     * router from there on takes up routingDelay + vcAllocDelay of that, the cycles its head
     * spends there and body flits do not, until none is left: over r routers the tail is
     * max(0, late - r (routingDelay + vcAllocDelay)) late at the destination.
     */
    static long closedForm(int hops, long bytes, long lateCycles, int routersAfter) {
        long absorbed = routersAfter * (long) (VcPipeline.BOOKSIM.routingDelay() + VcPipeline.BOOKSIM.vcAllocDelay());
        return VcRouterTest.closedForm(VcPipeline.BOOKSIM, hops, bytes) - LINK + CHIP_LATENCY + Math.max(0, lateCycles - absorbed);
    }

    @Test
    void aChipLinkIsOneHopOfItsOwnLatencyAndRate() {
        // Two chips of 4 x 1: chip 0's east port is its node 3, chip 1's west port its node 0 (endpoint 4).
        for (int chipBytes : new int[] {BW, BW / 2, BW / 4}) {
            Fabric ring = chips(4, 1, 2, "ring", 0, chipBytes, VcSpec.BOOKSIM);
            int flitCycles = BW / chipBytes;
            for (long bytes : new long[] {BW, 4 * BW, 4 * BW + 1}) {
                long late = (Math.ceilDiv(bytes, BW) - 1) * (flitCycles - 1);
                // 3 hops to the port, the chip link, 2 hops: 6 hops, 3 routers after the chip link.
                assertEquals(closedForm(6, bytes, late, 3), measure(ring, 0, 6, bytes), chipBytes + " B/cycle, " + bytes + " B");
                assertEquals(closedForm(1, bytes, late, 1), measure(ring, 3, 4, bytes), "from the port router itself, " + chipBytes + " B/cycle, " + bytes + " B");
            }
            // Within a chip nothing changes.
            assertEquals(VcRouterTest.closedForm(VcPipeline.BOOKSIM, 2, 4 * BW), measure(ring, 5, 7, 4 * BW));
        }
        // A chip link rated in GB/s paces its flits exactly: 16 B flits at 6.4 GB/s take 2.5 cycles each,
        // so 4 flits start 0, 2.5, 5 and 7.5 cycles after the head and are seen in whole cycles, the
        // tail 8 after the head: 5 cycles late.
        Fabric slow = ZeroLoadLatencyTest.hardware(VcRouterTest.vc("mesh2d", 4, 1, VcSpec.BOOKSIM),
                new ChipsSpec(2, "ring", 0, new ChipLinkSpec(6.4, null, null, CHIP_LATENCY), Map.of()));
        assertEquals(closedForm(1, 4 * BW, 5, 1), measure(slow, 3, 4, 4 * BW));
        assertEquals(closedForm(1, 4 * BW, 0, 1) + 3, measure(slow, 3, 4, 4 * BW));
    }

    /** Every endpoint sends {@code packets} messages of {@code bytes} to the same node {@code chipsOn} chips further east. */
    static Map<Integer, List<Probe.Send>> eastward(int chips, int perChip, int chipsOn, int packets, long bytes) {
        Map<Integer, List<Probe.Send>> sends = new HashMap<>();
        for (int e = 0; e < chips * perChip; e++) {
            List<Probe.Send> mine = new ArrayList<>();
            int to = (e / perChip + chipsOn) % chips * perChip + e % perChip;
            for (int i = 0; i < packets; i++) mine.add(new Probe.Send(0, to, bytes));
            sends.put(e, mine);
        }
        return sends;
    }

    @Test
    void aChipRingThatDeadlocksTheIdealRouterCompletesWithDatelineVcs() {
        // Four chips of 2 x 1 in a ring; every endpoint sends 20 packets two chips east at once.
        Map<Integer, List<Probe.Send>> sends = eastward(4, 2, 2, 20, 4 * BW);
        ChipsSpec ring = new ChipsSpec(4, "ring", 0, new ChipLinkSpec(null, BW, null, CHIP_LATENCY), Map.of());
        // The ideal router with one-packet buffers: every buffer on the way round fills with a packet
        // waiting for the next, and the run names the stuck links.
        EmulationException e = assertThrows(EmulationException.class, () -> ZeroLoadLatencyTest.run(
                ZeroLoadLatencyTest.hardware(ZeroLoadLatencyTest.noc("mesh2d", 2, 1, "xy", 0, 1), ring), sends));
        assertTrue(e.getMessage().contains("link(") && e.getMessage().contains("deadlocked"), e.getMessage());
        // The vc router with one-flit buffers and two dateline classes: every message is delivered.
        Fabric vc = ZeroLoadLatencyTest.hardware(VcRouterTest.vc("mesh2d", 2, 1, new VcSpec(2, 1, "islip", 1, VcPipeline.BOOKSIM)), ring);
        assertEquals(160, ZeroLoadLatencyTest.run(vc, sends).size(), "every message delivered");
    }

    /** Every endpoint sends {@code packets} messages of 1 to 4 flits to random endpoints, all at once. */
    static Map<Integer, List<Probe.Send>> random(int endpoints, int packets, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, List<Probe.Send>> sends = new HashMap<>();
        for (int e = 0; e < endpoints; e++) {
            List<Probe.Send> mine = new ArrayList<>();
            for (int i = 0; i < packets; i++) mine.add(new Probe.Send(rng.nextInt(4) * CYCLE, rng.nextInt(endpoints), (1 + rng.nextInt(4)) * BW));
            sends.put(e, mine);
        }
        return sends;
    }

    @Test
    void ringsMeshesAndToriOfChipsWithOneFlitBuffersDeliverEverythingOnAnyPartitioning() {
        VcSpec two = new VcSpec(2, 1, "islip", 1, VcPipeline.BOOKSIM), four = new VcSpec(4, 1, "separable-input-first", 1, VcPipeline.BOOKSIM);
        List<Fabric> systems = List.of(chips(3, 2, 4, "ring", 0, BW / 2, two), chips(3, 3, 4, "mesh2d", 2, BW, two),
                chips(2, 2, 9, "torus2d", 3, BW, four), chips(2, 2, 3, "all-to-all", 0, BW, VcSpec.BOOKSIM.withCount(1)));
        for (Fabric hw : systems) {
            Map<Integer, List<Probe.Send>> sends = random(hw.endpoints(), 12, 7);
            ZeroLoadLatencyTest.Outcome reference = ZeroLoadLatencyTest.simulate(hw, sends, 1, 1);
            assertEquals(12L * hw.endpoints(), reference.counters().size(), hw.chips().topology() + ": every message delivered");
            for (int[] run : new int[][] {{1, 2}, {2, 2}, {4, 1}, {4, 2}}) {
                ZeroLoadLatencyTest.Outcome other = ZeroLoadLatencyTest.simulate(hw, sends, run[0], run[1]);
                String where = hw.chips().topology() + " on " + run[0] + " partitions, " + run[1] + " threads";
                assertEquals(reference.counters(), other.counters(), where);
                assertEquals(reference.result().events(), other.result().events(), where);
                assertEquals(reference.result().simulatedPs(), other.result().simulatedPs(), where);
                assertEquals(reference.result().reports(), other.result().reports(), where);
            }
        }
    }

    @Test
    void tooFewVcsForTheChipClassesAndTorusChipsAreNamed() {
        // A torus of chips has four classes: two dimensions, two dateline classes each.
        InputException count = assertThrows(InputException.class, () -> measure(chips(2, 2, 4, "torus2d", 2, BW, VcSpec.BOOKSIM.withCount(3)), 0, 5, BW));
        assertTrue(count.getMessage().contains("hardware.noc.vc.count") && count.getMessage().contains(">= 4"), count.getMessage());
        InputException ring = assertThrows(InputException.class, () -> measure(chips(2, 2, 4, "ring", 0, BW, VcSpec.BOOKSIM.withCount(1)), 0, 5, BW));
        assertTrue(ring.getMessage().contains(">= 2"), ring.getMessage());
        InputException torusChips = assertThrows(InputException.class, () -> measure(ZeroLoadLatencyTest.hardware(VcRouterTest.vc("torus2d", 2, 2, VcSpec.BOOKSIM),
                new ChipsSpec(2, "ring", 0, new ChipLinkSpec(null, BW, null, CHIP_LATENCY), Map.of())), 0, 5, BW));
        assertTrue(torusChips.getMessage().contains("hardware.noc.topology"), torusChips.getMessage());
    }
}
