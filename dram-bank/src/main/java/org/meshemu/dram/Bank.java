package org.meshemu.dram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.kernel.Time;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.MemoryRequest;
import org.meshemu.wire.MemoryResponse;

/**
 * A DRAM bank holding tiles by address. Requests are served one at a time in arrival order: a
 * request of B bytes starts when the bank is free, transfers for ceil(B / bytesPerCycle) cycles,
 * and its answer leaves {@code latencyCycles} after the transfer started plus the transfer, i.e.
 * response = start + (latency + ceil(B / bytesPerCycle)) cycles, then the channel back.
 */
public final class Bank implements Component<Bank.Message> {

    /** The bank's protocol. */
    public sealed interface Message permits Request {}

    /** A read or write from a core. */
    public record Request(MemoryRequest request) implements Message {}

    public static final InPort<MemoryRequest, Message> REQ = new InPort<>("req", MemoryRequest.class, Request::new);
    public static final OutPort<MemoryResponse> RESP = new OutPort<>(0, "resp", MemoryResponse.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(REQ), List.of(RESP));

    /** Fixed-latency bank timing, in cycles of a clock of period {@code cyclePs}. */
    public record Timing(int latencyCycles, int bytesPerCycle, long cyclePs) {
        public Timing {
            if (latencyCycles < 0 || bytesPerCycle < 1 || cyclePs < 1) {
                throw new IllegalArgumentException("bad bank timing " + latencyCycles + "/" + bytesPerCycle + "/" + cyclePs);
            }
        }

        long transferPs(long bytes) { return Time.ceilDiv(bytes, bytesPerCycle) * cyclePs; }
    }

    private final String name;
    private final Timing timing;
    private final Map<Long, Tile> contents;
    private final Map<Long, Tile> written = new HashMap<>();
    private long freePs;
    private long busyPs;
    private long bytesRead;
    private long bytesWritten;

    /** {@code initial}: the tiles resident before the run, by address. */
    public Bank(String name, Timing timing, Map<Long, Tile> initial) {
        this.name = name;
        this.timing = timing;
        this.contents = new HashMap<>(initial);
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Request(MemoryRequest request) -> {
                long start = Math.max(ctx.now(), freePs);
                long transfer = timing.transferPs(request.bytes());
                freePs = start + transfer;
                busyPs += transfer;
                long ready = start + timing.latencyCycles() * timing.cyclePs() + transfer;
                MemoryResponse response = switch (request) {
                    case MemoryRequest.Read r -> {
                        Tile t = contents.get(r.address());
                        if (t == null) throw new IllegalStateException(name + ": nothing stored at address " + r.address());
                        if (t.rows() != r.rows() || t.cols() != r.cols()) {
                            throw new IllegalStateException(name + ": address " + r.address() + " holds " + t + ", read as " + r.rows() + "x" + r.cols());
                        }
                        bytesRead += r.bytes();
                        yield new MemoryResponse.ReadData(r.address(), t);
                    }
                    case MemoryRequest.Write w -> {
                        contents.put(w.address(), w.tile());
                        written.put(w.address(), w.tile());
                        bytesWritten += w.bytes();
                        yield new MemoryResponse.WriteAck(w.address());
                    }
                };
                ctx.send(RESP, response, ready - ctx.now() + ctx.latencyPs(RESP));
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("bank", busyPs, Map.of("bytesRead", bytesRead, "bytesWritten", bytesWritten), written);
    }
}
