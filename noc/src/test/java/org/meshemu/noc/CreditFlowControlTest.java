package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.noc.ZeroLoadLatencyTest.CYCLE;
import static org.meshemu.noc.ZeroLoadLatencyTest.LINK;
import static org.meshemu.noc.ZeroLoadLatencyTest.ROUTER;
import static org.meshemu.noc.ZeroLoadLatencyTest.closedForm;
import static org.meshemu.noc.ZeroLoadLatencyTest.noc;
import static org.meshemu.noc.ZeroLoadLatencyTest.ser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.EmulationException;

/**
 * Credit-based flow control: a link starts a packet only with a credit for the next router's
 * input buffer, and gets it back one wire latency after the packet leaves that buffer. The credit
 * round trip of a packet of S bytes is RTT = ser(S) + linkLatency + routerDelay + linkLatency, so a
 * buffer of b packets sustains the full link rate exactly when b ser(S) >= RTT.
 */
class CreditFlowControlTest {
    static final long PACKET = 16; // ser = 1 cycle at 16 B/cycle
    static final long RTT = ser(PACKET) + LINK + ROUTER + LINK; // 9 cycles

    static long measure(NocSpec noc, int src, int dst, long bytes) {
        return ZeroLoadLatencyTest.run(noc, Map.of(src, List.of(new Probe.Send(0, dst, bytes)))).get(dst + ":latency." + src + ".0") / CYCLE;
    }

    @Test
    void aBufferCoveringTheRoundTripKeepsTheZeroLoadLatencyAndOneLessDoesNot() {
        long bytes = 10 * PACKET;
        long unbounded = measure(noc("mesh2d", 4, 1, "xy", PACKET, 0), 0, 3, bytes);
        assertEquals(closedForm(3, bytes, PACKET), unbounded);
        assertEquals(unbounded, measure(noc("mesh2d", 4, 1, "xy", PACKET, (int) RTT), 0, 3, bytes), "b = RTT / ser: full rate");
        assertEquals(unbounded + 1, measure(noc("mesh2d", 4, 1, "xy", PACKET, (int) RTT - 1), 0, 3, bytes),
                "b = RTT / ser - 1: the ninth packet waits one cycle for the first credit");
    }

    @Test
    void aOnePacketBufferPacesEveryLinkAtTheCreditRoundTrip() {
        long bytes = 5 * PACKET;
        long expected = closedForm(3, bytes, PACKET) + (5 - 1) * (RTT - ser(PACKET));
        assertEquals(expected, measure(noc("mesh2d", 4, 1, "xy", PACKET, 1), 0, 3, bytes));
        // A single packet never waits for a credit.
        assertEquals(closedForm(3, PACKET, 0), measure(noc("mesh2d", 4, 1, "xy", PACKET, 1), 0, 3, PACKET));
    }

    @Test
    void creditsAlsoPaceChipLinksAndAllToAll() {
        NocSpec a2a = noc("all-to-all", 2, 2, "xy", PACKET, 1);
        // inject link -> exchange buffer -> eject link: the inject link waits for the eject link to start each packet.
        long rtt = ser(PACKET) + LINK + ROUTER + LINK;
        assertEquals(measure(noc("all-to-all", 2, 2, "xy", PACKET, 0), 0, 3, 4 * PACKET) + 3 * (rtt - ser(PACKET)), measure(a2a, 0, 3, 4 * PACKET));
        Fabric two = ZeroLoadLatencyTest.hardware(noc("mesh2d", 2, 1, "xy", PACKET, 1),
                new ChipsSpec(2, "ring", 0, new ChipLinkSpec(null, 16, null, 7), Map.of()));
        // endpoint 1 is chip 0's east port: 3 packets over the chip link (7 cycles) into chip 1's node 0.
        // Unbounded: injection + port router + ser + chip wire + ejection, plus 2 more packets of ser = 1.
        long chipRtt = 1 + 7 + ROUTER + 7;
        long free = ZeroLoadLatencyTest.INJECTION + ROUTER + 1 + 7 + ROUTER + 2 * 1;
        assertEquals((free + 2 * (chipRtt - 1)) * CYCLE, ZeroLoadLatencyTest.run(two, Map.of(1, List.of(new Probe.Send(0, 2, 3 * PACKET))))
                .get("2:latency.1.0"));
    }

    @Test
    void aTorusWithFiniteBuffersCanDeadlockAndTheRunSaysSo() {
        // Every node of a ring of 4 sends 20 packets two hops east at once: each link's one-packet
        // buffer fills with a packet waiting behind the next router's own, all the way round.
        Map<Integer, List<Probe.Send>> sends = new HashMap<>();
        for (int n = 0; n < 4; n++) {
            List<Probe.Send> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) mine.add(new Probe.Send(0, (n + 2) % 4, PACKET));
            sends.put(n, mine);
        }
        EmulationException e = assertThrows(EmulationException.class, () -> ZeroLoadLatencyTest.run(noc("torus2d", 4, 1, "xy", 0, 1), sends));
        assertTrue(e.getMessage().contains("link(") && e.getMessage().contains("deadlocked"), e.getMessage());
        // Unbounded buffers cannot deadlock: the same traffic is delivered.
        assertEquals(80, ZeroLoadLatencyTest.run(noc("torus2d", 4, 1, "xy", 0, 0), sends).size());
    }
}
