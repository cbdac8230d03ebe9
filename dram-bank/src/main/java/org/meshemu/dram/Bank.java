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
 * A DRAM bank (or channel of banks) holding tiles by address. Data moves in arrival order: a read
 * returns what the bank held when the read arrived. Timing is its {@link MemoryTiming}'s: each
 * request is queued there as it arrives, and its answer leaves when the model knows its data is
 * ready, then takes the channel back to the requester. A model that may still reorder queued
 * requests (FR-FCFS) is advanced again by a {@link Wake} at the time it names, so it decides each
 * clock edge only once every request that arrived by then is queued.
 */
public final class Bank implements Component<Bank.Message> {

    /** The bank's protocol. */
    public sealed interface Message permits Request, Wake {}

    /** A read or write from a core. */
    public record Request(MemoryRequest request) implements Message {}

    /** Time to advance the timing model: a queued request may be complete. */
    public record Wake() implements Message {}

    private static final Wake WAKE = new Wake();

    public static final InPort<MemoryRequest, Message> REQ = new InPort<>("req", MemoryRequest.class, Request::new);
    public static final OutPort<MemoryResponse> RESP = new OutPort<>(0, "resp", MemoryResponse.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(REQ), List.of(RESP));

    private final transient String name;
    private final MemoryTiming timing;
    private final Map<Long, Tile> contents;
    private final Map<Long, Tile> written = new HashMap<>();
    /** Answers of queued requests, by the timing model's tag. */
    private final Map<Long, MemoryResponse> answers = new HashMap<>();
    /** The earliest wake scheduled and not yet handled, or -1. */
    private long wakeAtPs = -1;
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
        long now = ctx.now();
        MemoryTiming.Done answer = (tag, ready) -> ctx.send(RESP, answers.remove(tag), ready - now + ctx.latencyPs(RESP));
        // Decide every edge before now first: the request arriving now takes part from now on only.
        timing.advance(now, answer);
        switch (message) {
            case Request(MemoryRequest request) -> {
                answers.put(timing.accept(now, request.address(), request.bytes(), request instanceof MemoryRequest.Write),
                        respond(request));
                timing.advance(now, answer);
            }
            case Wake w -> {
                if (wakeAtPs == now) wakeAtPs = -1;
            }
        }
        long due = timing.nextDuePs();
        if (due != MemoryTiming.NONE && (wakeAtPs < now || due < wakeAtPs)) {
            ctx.schedule(WAKE, due - now);
            wakeAtPs = due;
        }
    }

    /** The data movement of {@code request}, done at its arrival. */
    private MemoryResponse respond(MemoryRequest request) {
        return switch (request) {
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
