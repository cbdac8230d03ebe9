package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.Packet;

/** A link's rules: serialisation rounded up to whole cycles, then latency; FIFO contention. */
class LinkTest {
    static final long CYCLE = 1000;
    static final int BYTES_PER_CYCLE = 32;

    /** Injector -(1 cycle)-> link -(2 cycles)-> recorder; returns arrival times. */
    static List<Long> send(List<Injector.Send<Packet>> packets) {
        Assembly.Builder b = Assembly.builder(1);
        Injector<Packet> inj = new Injector<>(Packet.class, packets);
        Recorder<Packet> rec = new Recorder<>(Packet.class);
        int i = b.add("injector", "inj", 0, inj.ports(), () -> inj);
        int l = b.add("link", "link", 0, Link.PORTS, () -> new Link(new Link.PerCycle(BYTES_PER_CYCLE, CYCLE), new FlowControl.StoreAndForward(), 1, 0, Link.PORTS, false));
        int r = b.add("recorder", "rec", 0, rec.ports(), () -> rec);
        b.connect(i, "out", l, "in", CYCLE).connect(l, "out", r, "in", 2 * CYCLE);
        Engine.run(b.build(), Placement.single(3), 1, RunObserver.NONE);
        return rec.times();
    }

    static Packet packet(int floats) {
        return new Packet(0, 1, 0, Tile.shape(1, floats, DType.FP32));
    }

    @Test
    void aPacketOfExactlyOneCycleOfBytesTakesOneCycle() {
        assertEquals(List.of((1 + 1 + 2) * CYCLE), send(List.of(new Injector.Send<>(0, packet(8)))));      // 32 B
    }

    @Test
    void oneMoreByteTakesAnotherCycle() {
        assertEquals(List.of((1 + 2 + 2) * CYCLE), send(List.of(new Injector.Send<>(0, packet(9)))));      // 36 B
    }

    @Test
    void aPacketArrivingWhileTheLinkIsBusyWaitsForIt() {
        // Both reach the link at 1 cycle; each needs 4 cycles (128 B); the second leaves 4 cycles after the first.
        List<Long> t = send(List.of(new Injector.Send<>(0, packet(32)), new Injector.Send<>(0, packet(32))));
        assertEquals(List.of((1 + 4 + 2) * CYCLE, (1 + 8 + 2) * CYCLE), t);
    }

    @Test
    void aPacketArrivingJustAsTheLinkFreesDoesNotWait() {
        // First occupies cycles 1..5; a second handed over at 4 cycles reaches the link at 5 = free: no wait.
        List<Long> t = send(List.of(new Injector.Send<>(0, packet(32)), new Injector.Send<>(4 * CYCLE, packet(32))));
        assertEquals(List.of(7 * CYCLE, (5 + 4 + 2) * CYCLE), t);
        // One cycle earlier, it waits one cycle.
        List<Long> early = send(List.of(new Injector.Send<>(0, packet(32)), new Injector.Send<>(3 * CYCLE, packet(32))));
        assertEquals(List.of(7 * CYCLE, (5 + 4 + 2) * CYCLE), early);
    }
}
