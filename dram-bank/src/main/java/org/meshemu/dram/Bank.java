package org.meshemu.dram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.report.ComponentMeasures;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.report.RunReport;
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
    /** Report counters of a bank (its timing model's are beside them: {@link MemoryTiming}). */
    public static final String BYTES_READ = "bytesRead", BYTES_WRITTEN = "bytesWritten", ROW_HITS = "rowHits", ROW_MISSES = "rowMisses",
            ROW_CONFLICTS = "rowConflicts", ACTIVATES = "activates", REFRESHES = "refreshes", PEAK_BYTES_PER_SECOND = "peakBytesPerSecond";
    /** The counters {@code banks.csv} gives per bank. */
    public static final List<String> CSV_COUNTERS = List.of(BYTES_READ, BYTES_WRITTEN, ROW_HITS, ROW_MISSES, ROW_CONFLICTS, ACTIVATES);
    private static final String[] REPORTED = {BYTES_READ, BYTES_WRITTEN};


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
    /** What the bank holds, by address: the plan's tiles, copied (its own arrays, near each other), and those written since. */
    private final TilesByAddress contents;
    // Both maps are made at their first use: most of a wafer's banks never need one.
    /** The tiles written during the run, by address (the report's); null before the first write. */
    private Map<Long, Tile> written;
    /** Answers of queued requests, by the timing model's tag; null before the first request. */
    private Map<Long, MemoryResponse> answers;
    /** The earliest wake scheduled and not yet handled, or -1. */
    private long wakeAtPs = -1;
    private long bytesRead;
    private long bytesWritten;

    /** {@code initial}: the tiles resident before the run, by address. */
    public Bank(String name, MemoryTiming timing, Map<Long, Tile> initial) {
        this.name = name;
        this.timing = timing;
        this.contents = new TilesByAddress(initial);
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
                if (answers == null) answers = new HashMap<>();
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
                if (written == null) written = new HashMap<>();
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
        return ComponentReport.of("bank", timing.busyPs(), Counters.of(REPORTED, bytesRead, bytesWritten).plus(timing.counters()),
                written == null ? Map.of() : written);
    }

    /** A bank's energy and traffic: bits read and written, and row activations. */
    public static final class Measures implements ComponentMeasures {
        @Override public String name() { return "bank"; }

        @Override public Energy.Part part() { return Energy.Part.DRAM; }

        @Override
        public double dynamicPj(ComponentReport r, EnergySpec e) {
            return r.counter(BYTES_READ) * 8.0 * e.pjPerBitDramRead() + r.counter(BYTES_WRITTEN) * 8.0 * e.pjPerBitDramWrite()
                    + r.counter(ACTIVATES) * e.pjPerActivate();
        }

        @Override public long dramBytesRead(ComponentReport r) { return r.counter(BYTES_READ); }

        @Override public long dramBytesWritten(ComponentReport r) { return r.counter(BYTES_WRITTEN); }
    }

    /** The emulated memory's peak bandwidth in bytes per second: the banks' peaks summed over the reports of kind bank. */
    public static double peakBytesPerSecond(List<ComponentReport> reports) {
        return reports.stream().filter(r -> r.kind().equals("bank")).mapToLong(r -> r.counter(PEAK_BYTES_PER_SECOND)).sum();
    }

    /**
     * The report's DRAM section over all banks (null without banks): row-buffer hit rate (null for a
     * model without rows), achieved bandwidth against the sum of the banks' peaks, bytes per bank.
     */
    public static RunReport.Dram summary(List<ComponentReport> banks, long simulatedPs) {
        if (banks.isEmpty()) return null;
        long hits = 0, accesses = 0, bytes = 0, min = Long.MAX_VALUE, max = 0;
        double peak = 0;
        for (ComponentReport b : banks) {
            hits += b.counter(ROW_HITS);
            accesses += b.counter(ROW_HITS) + b.counter(ROW_MISSES) + b.counter(ROW_CONFLICTS);
            long moved = b.counter(BYTES_READ) + b.counter(BYTES_WRITTEN);
            bytes += moved;
            min = Math.min(min, moved);
            max = Math.max(max, moved);
            peak += b.counter(PEAK_BYTES_PER_SECOND);
        }
        return new RunReport.Dram(accesses == 0 ? null : (double) hits / accesses, simulatedPs == 0 ? 0 : bytes * 1e12 / simulatedPs,
                peak, min, (double) bytes / banks.size(), max);
    }
}
