package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.MemoryRequest;
import org.meshemu.wire.MemoryResponse;

/** The fixed-latency bank: response = start + latency + ceil(bytes / bytesPerCycle), FIFO. */
class BankTest {
    static final long CYCLE = 1000;
    static final long LATENCY = 10, BYTES_PER_CYCLE = 16;

    record Outcome(List<Long> times, RunResult result) {}

    /** Injector -(1 cycle)-> bank -(1 cycle)-> recorder. */
    static Outcome serve(Map<Long, Tile> contents, List<Injector.Send<MemoryRequest>> requests, Recorder<MemoryResponse> rec) {
        Assembly.Builder b = Assembly.builder(1);
        Injector<MemoryRequest> inj = new Injector<>(MemoryRequest.class, requests);
        int i = b.add("injector", "inj", 0, inj.ports(), () -> inj);
        int k = b.add("bank", "bank", 0, Bank.PORTS, () -> new Bank("bank", new MemoryTiming.Fixed((int) LATENCY, (int) BYTES_PER_CYCLE, CYCLE), contents));
        int r = b.add("recorder", "rec", 0, rec.ports(), () -> rec);
        b.connect(i, "out", k, "req", CYCLE).connect(k, "resp", r, "in", CYCLE);
        RunResult result = Engine.run(b.build(), Placement.single(3), 1, RunObserver.NONE);
        return new Outcome(rec.times(), result);
    }

    static MemoryRequest.Read read(int floats) {
        return new MemoryRequest.Read(0, 0, 1, floats, DType.FP32);
    }

    static Map<Long, Tile> holding(int floats) {
        return Map.of(0L, Tile.shape(1, floats, DType.FP32));
    }

    @Test
    void aReadOfExactlyNTransferCyclesAnswersAfterLatencyPlusN() {
        var rec = new Recorder<>(MemoryResponse.class);
        assertEquals(List.of((1 + 10 + 4 + 1) * CYCLE), serve(holding(16), List.of(new Injector.Send<>(0, read(16))), rec).times()); // 64 B
    }

    @Test
    void oneMoreByteCostsOneMoreCycle() {
        var rec = new Recorder<>(MemoryResponse.class);
        assertEquals(List.of((1 + 10 + 5 + 1) * CYCLE), serve(holding(17), List.of(new Injector.Send<>(0, read(17))), rec).times()); // 68 B
    }

    @Test
    void requestsAreServedInArrivalOrderAndQueueForTheDataTransfer() {
        var rec = new Recorder<>(MemoryResponse.class);
        var out = serve(holding(16), List.of(new Injector.Send<>(0, read(16)), new Injector.Send<>(0, read(16))), rec);
        // the second starts when the first's 4 transfer cycles end; latency overlaps
        assertEquals(List.of(16 * CYCLE, 20 * CYCLE), out.times());
        assertEquals(8 * CYCLE, out.result().reports().get(1).busyPs());
        assertEquals(128, out.result().reports().get(1).counter("bytesRead"));
    }

    @Test
    void writesAreStoredAcknowledgedAndReported() {
        var rec = new Recorder<>(MemoryResponse.class);
        Tile t = Tile.fp32(1, 2, new float[] {3, 4});
        var out = serve(Map.of(), List.of(new Injector.Send<>(0, new MemoryRequest.Write(0, 64, t)),
                new Injector.Send<>(20 * CYCLE, new MemoryRequest.Read(0, 64, 1, 2, DType.FP32))), rec);
        assertEquals(new MemoryResponse.WriteAck(64), rec.arrivals().get(0).message());
        assertEquals(new MemoryResponse.ReadData(64, t), rec.arrivals().get(1).message());
        assertEquals(Map.of(64L, t), out.result().reports().get(1).memory());
    }
}
