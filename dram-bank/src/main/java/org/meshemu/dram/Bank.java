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
import org.meshemu.tensor.Tile;
import org.meshemu.wire.MemoryRequest;
import org.meshemu.wire.MemoryResponse;

/**
 * A DRAM bank (or channel of banks) holding tiles by address. Requests are passed to its
 * {@link MemoryTiming} in arrival order; the answer leaves when the timing model says the data is
 * ready, then takes the channel back to the requester.
 */
public final class Bank implements Component<Bank.Message> {

    /** The bank's protocol. */
    public sealed interface Message permits Request {}

    /** A read or write from a core. */
    public record Request(MemoryRequest request) implements Message {}

    public static final InPort<MemoryRequest, Message> REQ = new InPort<>("req", MemoryRequest.class, Request::new);
    public static final OutPort<MemoryResponse> RESP = new OutPort<>(0, "resp", MemoryResponse.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(REQ), List.of(RESP));

    private final transient String name;
    private final MemoryTiming timing;
    private final Map<Long, Tile> contents;
    private final Map<Long, Tile> written = new HashMap<>();
    private long bytesRead;
    private long bytesWritten;

    /** {@code initial}: the tiles resident before the run, by address. */
    public Bank(String name, MemoryTiming timing, Map<Long, Tile> initial) {
        this.name = name;
        this.timing = timing;
        this.contents = new HashMap<>(initial);
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Request(MemoryRequest request) -> {
                long ready = timing.serve(ctx.now(), request.address(), request.bytes(), request instanceof MemoryRequest.Write);
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
    public long busyPsSoFar() { return timing.busyPs(); }

    @Override
    public long bytesSoFar() { return bytesRead + bytesWritten; }

    @Override
    public ComponentReport report(long endPs) {
        Map<String, Long> counters = new HashMap<>(timing.counters());
        counters.put("bytesRead", bytesRead);
        counters.put("bytesWritten", bytesWritten);
        return ComponentReport.of("bank", timing.busyPs(), counters, written);
    }
}
