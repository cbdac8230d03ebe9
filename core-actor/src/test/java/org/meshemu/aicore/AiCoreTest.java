package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.EmulationException;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.Packet;

/** The core on the real kernel, with test components standing in for the NoC. */
class AiCoreTest {
    static final long CYCLE = 1000;
    final CoreTiming timing = new CoreTiming(CYCLE, java.util.Map.of(DType.FP32, 64), 8, 2, 1 << 20, 4, 512);

    /** A core whose network port leads to a recorder (latency 3 cycles) and is fed by an injector (latency 5 cycles). */
    private RunResult run(List<Instruction> code, List<Injector.Send<Packet>> incoming, Recorder<Packet> network) {
        Assembly.Builder b = Assembly.builder(1);
        Program program = Program.of(code);
        int core = b.add("core", "core", 0, AiCore.ports(0), () -> new AiCore(0, program, timing, 0, 0));
        int net = b.add("recorder", "net", 0, network.ports(), () -> network);
        Injector<Packet> injector = new Injector<>(Packet.class, incoming);
        int inj = b.add("injector", "inj", 0, injector.ports(), () -> injector);
        b.connect(core, "net", net, "in", 3 * CYCLE);
        b.connect(inj, "out", core, "net", 5 * CYCLE);
        return Engine.run(b.build(), Placement.single(3), 1, RunObserver.NONE);
    }

    static Tile ones(int rows, int cols) {
        float[] v = new float[rows * cols];
        java.util.Arrays.fill(v, 1f);
        return Tile.fp32(rows, cols, v);
    }

    @Test
    void recvWaitsForItsTileThenSendLeavesAfterTheIssueOverhead() {
        Recorder<Packet> net = new Recorder<>(Packet.class);
        Tile tile = ones(4, 4);
        run(List.of(new Instruction.Recv(0, 7, 1, 4, 4, DType.FP32), new Instruction.Send(0, 9, 2)),
                List.of(new Injector.Send<>(10 * CYCLE, new Packet(7, 0, 1, tile))), net);
        // tile arrives at 15 cycles; recv costs 2, send 2 more before the channel's 3: 15 + 2 + 2 + 3.
        assertEquals(List.of(22 * CYCLE), net.times());
        assertEquals(9, net.arrivals().get(0).message().destination());
        assertEquals(tile, net.arrivals().get(0).message().tile());
    }

    @Test
    void computeTimeFollowsTheTimingModel() {
        Recorder<Packet> net = new Recorder<>(Packet.class);
        // gemm 4x4x4 = 128 flops = 2 cycles + 2 overhead; add 16 elements = 2 cycles + 2.
        RunResult r = run(List.of(
                new Instruction.Recv(0, 7, 1, 4, 4, DType.FP32),
                new Instruction.Gemm(0, 0, 1, false),
                new Instruction.Elementwise(Instruction.Op.ADD, 1, 1, 2),
                new Instruction.Send(2, 9, 2)), List.of(new Injector.Send<>(0, new Packet(7, 0, 1, ones(4, 4)))), net);
        assertEquals(List.of((5 + 2 + 4 + 4 + 2 + 3) * CYCLE), net.times());
        assertEquals(8f, net.arrivals().get(0).message().tile().data()[0], "(ones . ones) + (ones . ones) = 4 + 4");
        assertEquals((2 + 4 + 4 + 2) * CYCLE, r.reports().get(0).busyPs());
    }

    @Test
    void aProgramWaitingForATileThatNeverComesIsReportedAsADeadlock() {
        Recorder<Packet> net = new Recorder<>(Packet.class);
        EmulationException e = assertThrows(EmulationException.class,
                () -> run(List.of(new Instruction.Recv(0, 7, 1, 4, 4, DType.FP32)), List.of(), net));
        assertTrue(e.getMessage().contains("deadlocked"), e.getMessage());
    }

    @Test
    void aTileOfTheWrongShapeFailsTheRun() {
        Recorder<Packet> net = new Recorder<>(Packet.class);
        EmulationException e = assertThrows(EmulationException.class, () -> run(List.of(new Instruction.Recv(0, 7, 1, 4, 4, DType.FP32)),
                List.of(new Injector.Send<>(0, new Packet(7, 0, 1, ones(2, 2)))), net));
        assertTrue(e.getMessage().contains("received"), e.getMessage());
    }

    @Test
    void skipPassesOverItsBlockUnlessTheIndexHoldsItsValueAndCostsTheIssueOverheadEitherWay() {
        Recorder<Packet> net = new Recorder<>(Packet.class);
        run(List.of(
                new Instruction.Recv(0, 7, 1, 1, 1, DType.FP32),
                new Instruction.Skip(0, 3, 1),                       // index 3: runs the send tagged 2
                new Instruction.Send(0, 9, 2),
                new Instruction.Skip(0, 4, 1),                       // not 4: passes over the send tagged 3
                new Instruction.Send(0, 9, 3),
                new Instruction.Send(0, 9, 4)), List.of(new Injector.Send<>(0, new Packet(7, 0, 1, Tile.fp32(1, 1, new float[] {3})))), net);
        // tile in at 5 cycles, recv 2, skip 2, send 2, channel 3: 14; skip 2, send 2, channel 3: 18
        assertEquals(List.of(14 * CYCLE, 18 * CYCLE), net.times());
        assertEquals(List.of(2, 4), net.arrivals().stream().map(a -> a.message().tag()).toList());
    }

    @Test
    void aSkipPastTheEndOfTheProgramIsRefusedWhenTheProgramIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Program.of(List.of(
                new Instruction.Recv(0, 7, 1, 1, 1, DType.FP32), new Instruction.Skip(0, 1, 2), new Instruction.Send(0, 9, 2))));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }
}
