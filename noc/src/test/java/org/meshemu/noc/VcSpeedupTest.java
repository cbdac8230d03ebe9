package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;
import org.meshemu.wire.Packet;

/**
 * The vc router's speedups, on one router (node 1 of a 3 x 1 line) fed flit by flit: flits enter
 * one a cycle from cycle 1 on, a head is routed in cycle 1 and allocated a VC in cycle 2, so
 * switch allocation starts in cycle 3 (BookSim's pipeline). A flit granted in cycle t returns its
 * credit upstream, seen in cycle t + 1, and leaves the switch at t + 2 into its output's queue,
 * which feeds the link (or the eject channel) one flit a cycle.
 */
class VcSpeedupTest {
    static final long CYCLE = 1000;
    static final int FLIT = 16, FLITS = 4, FIRST = 3;

    record Outcome(List<Long> creditsEast, List<Long> creditsWest, List<Long> ejected, List<Long> sentEast) {}

    /** Flits of one packet on {@code vc}, the k-th handed over in cycle k - 1 (seen in cycle k). */
    static List<Injector.Send<VcRouter.Flit>> packet(int source, int destination, int vc) {
        Packet p = new Packet(source, destination, 0, source, 0, 1, FLITS * FLIT, 0, null);
        List<Injector.Send<VcRouter.Flit>> sends = new ArrayList<>();
        for (int k = 0; k < FLITS; k++) sends.add(new Injector.Send<>(k * CYCLE, new VcRouter.Flit(p, vc, k)));
        return sends;
    }

    static Outcome run(VcSpec vc, List<Injector.Send<VcRouter.Flit>> fromEast, List<Injector.Send<VcRouter.Flit>> fromWest) {
        Assembly.Builder b = Assembly.builder(1);
        var ports = VcRouter.ports(Grid2d.DIRECTIONS);
        Routing xy = DimensionOrder.xy(new Grid2d.Shape(3, 1, false));
        long[] latency = {CYCLE, CYCLE, CYCLE, CYCLE}, flit = {CYCLE, CYCLE, CYCLE, CYCLE};
        int router = b.add("router", "router", 0, ports,
                () -> new VcRouter(1, xy, ports, 4, VcClasses.NONE, latency, flit, new String[4], CYCLE, FLIT, vc));
        Injector<VcRouter.Flit> east = new Injector<>(VcRouter.Flit.class, fromEast), west = new Injector<>(VcRouter.Flit.class, fromWest);
        Recorder<VcRouter.CreditReturn> creditsEast = new Recorder<>(VcRouter.CreditReturn.class), creditsWest = new Recorder<>(VcRouter.CreditReturn.class);
        Recorder<Packet> ejected = new Recorder<>(Packet.class);
        Recorder<VcRouter.Flit> sentEast = new Recorder<>(VcRouter.Flit.class);
        b.connect(b.add("injector", "east", 0, east.ports(), () -> east), "out", router, "from-east", CYCLE - 1);
        b.connect(b.add("injector", "west", 0, west.ports(), () -> west), "out", router, "from-west", CYCLE - 1);
        b.connect(router, "credit-east", b.add("recorder", "credits-east", 0, creditsEast.ports(), () -> creditsEast), "in", CYCLE - 1);
        b.connect(router, "credit-west", b.add("recorder", "credits-west", 0, creditsWest.ports(), () -> creditsWest), "in", CYCLE - 1);
        b.connect(router, "eject", b.add("recorder", "ejected", 0, ejected.ports(), () -> ejected), "in", CYCLE);
        b.connect(router, "east", b.add("recorder", "sent-east", 0, sentEast.ports(), () -> sentEast), "in", CYCLE - 1);
        Engine.run(b.build(), Placement.single(b.size()), 1, RunObserver.NONE);
        return new Outcome(cycles(creditsEast.times()), cycles(creditsWest.times()), cycles(ejected.times()), cycles(sentEast.times()));
    }

    /** The cycles that see events of these times. */
    static List<Long> cycles(List<Long> ps) { return ps.stream().map(t -> Math.ceilDiv(t, CYCLE)).toList(); }

    static List<Long> range(long from, long count, long step) {
        List<Long> r = new ArrayList<>();
        for (long k = 0; k < count; k++) r.add(from + k * step);
        return r;
    }

    /**
     * Two iterations, so that both heads get an eject VC in cycle 2: with one, iSLIP's two free VCs
     * both offer themselves to the same input first, and the other input's head waits a cycle.
     */
    static final VcSpec TWO_VCS = new VcSpec(2, 8, "islip", 2, VcPipeline.BOOKSIM);

    @Test
    void withOutputSpeedupTwoBothInputsDrainAtFullRateWhileTheOutputStillSendsAFlitACycle() {
        // Endpoints 2 and 0 each send 4 flits to endpoint 1: they reach its router on two inputs at once.
        List<Injector.Send<VcRouter.Flit>> fromEast = packet(2, 1, 0), fromWest = packet(0, 1, 0);
        // Speedup 1: the eject output takes one flit a cycle, the arbiters alternate the inputs, so
        // each input's buffer drains every other cycle over 2F cycles (credits seen one cycle later).
        Outcome one = run(TWO_VCS, fromEast, fromWest);
        List<Long> all = new ArrayList<>(one.creditsEast());
        all.addAll(one.creditsWest());
        all.sort(null);
        assertEquals(range(FIRST + 1, 2 * FLITS, 1), all);
        assertEquals(range(one.creditsEast().get(0), FLITS, 2), one.creditsEast());
        assertEquals(range(one.creditsWest().get(0), FLITS, 2), one.creditsWest());
        // Output speedup 2: inputs east (0) and west (1) reach the eject output at its two switch
        // inputs, so both drain in F cycles; the output queue still ejects one flit a cycle.
        Outcome two = run(TWO_VCS.withSpeedups(1, 2), fromEast, fromWest);
        assertEquals(range(FIRST + 1, FLITS, 1), two.creditsEast());
        assertEquals(range(FIRST + 1, FLITS, 1), two.creditsWest());
        // Either way the 2F flits leave the switch from cycle FIRST + 2 on, one a cycle, and the
        // tails are the last two; the eject channel takes one more cycle.
        List<Long> tails = List.of(FIRST + 2 + 2 * FLITS - 2 + 1L, FIRST + 2 + 2 * FLITS - 1 + 1L);
        assertEquals(tails, one.ejected());
        assertEquals(tails, two.ejected());
    }

    @Test
    void withInputSpeedupTwoOneInputFeedsTwoOutputsAtOnce() {
        // From the west, on VC 0 a packet for endpoint 1 (eject) and on VC 1 one for endpoint 2 (east).
        List<Injector.Send<VcRouter.Flit>> both = new ArrayList<>(packet(0, 1, 0));
        both.addAll(packet(0, 2, 1));
        // Speedup 1: the input passes one flit a cycle, alternating its VCs: 2F cycles.
        Outcome one = run(TWO_VCS, List.of(), both);
        assertEquals(range(FIRST + 1, 2 * FLITS, 1), one.creditsWest());
        // Input speedup 2: VC 0 and VC 1 have switch inputs of their own, both go every cycle.
        Outcome two = run(TWO_VCS.withSpeedups(2, 1), List.of(), both);
        assertEquals(List.of(FIRST + 1L, FIRST + 1L, FIRST + 2L, FIRST + 2L, FIRST + 3L, FIRST + 3L, FIRST + 4L, FIRST + 4L), two.creditsWest());
        // The east link carries a flit FIRST + 2 + 1 cycles after its grant; the tail ejects a cycle after leaving the switch.
        assertEquals(range(FIRST + 3, FLITS, 1), two.sentEast());
        assertEquals(List.of(FIRST + FLITS - 1 + 2 + 1L), two.ejected());
        assertEquals(range(one.sentEast().get(0), FLITS, 2), one.sentEast(), "without speedup every other cycle");
    }

    @Test
    void anInputSpeedupAboveTheVcCountLeavesTheSpareSwitchInputsIdle() {
        // One VC, input speedup 2: switch input 1 of each input has no VC of its own (v % 2 == 1 never
        // holds), so the input still passes one flit a cycle, as with speedup 1.
        VcSpec oneVc = TWO_VCS.withCount(1);
        List<Injector.Send<VcRouter.Flit>> west = packet(0, 1, 0);
        Outcome plain = run(oneVc, List.of(), west);
        Outcome sped = run(oneVc.withSpeedups(2, 1), List.of(), west);
        assertEquals(range(FIRST + 1, FLITS, 1), plain.creditsWest());
        assertEquals(plain, sped);
    }
}
