package org.meshemu.dram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.meshemu.dram.mapping.AddressMapping;
import org.meshemu.dram.mapping.AddressMappings;
import org.meshemu.dram.mapping.DramAddress;
import org.meshemu.dram.mapping.Geometry;

/**
 * The controller and timing of one DRAM channel (or pseudo-channel): banks with their own row
 * buffers sharing a command bus and a data bus, fed by a queue of requests that a
 * {@link DramScheduler} orders. One instance per bank actor; not thread-safe, which is fine inside
 * an actor. Pure logic: no clock ticks; command times are computed from the state.
 *
 * <p><b>Use.</b> {@link #submit} queues a request (arrivals must not decrease); {@link #advance}
 * decides every command at clock edges before {@code untilPs} and reports the requests whose last
 * data beat is then known; {@link #nextDuePs} is a lower bound of the next completion, when the
 * owner must call {@link #advance} again. A scheduler that {@linkplain DramScheduler#decidesAtArrival
 * decides at arrival} runs to the end of its queue at once. A request arriving at {@code t} takes
 * part in decisions from the clock edge at or after {@code t}.
 *
 * <p><b>Timing rules.</b> A request is split into bursts of {@link DramStandard#burstBytes()},
 * grouped into {@link Segment}s (its bursts to one row of one bank). Each command is placed at the
 * earliest clock edge at which every rule against every earlier command holds:
 * <ul>
 *   <li>per bank: nRCD (ACT to column), nRAS (ACT to PRE), nRP (PRE to ACT), nRC (ACT to ACT),
 *       nRTP (read to PRE), nWR (end of write data to PRE);</li>
 *   <li>per channel: nRRD_L after every ACT to the same bank group, nRRD_S after every other ACT,
 *       nFAW (at most four ACTs in any window), nCCD_L / nCCD_S likewise for column commands, nWTR
 *       (end of write data to a read), data-bus occupancy (bursts serialise);</li>
 *   <li>command bus: at most one row command (ACT, PRE) and one column command per clock edge;</li>
 *   <li>refresh: every nREFI all banks are unavailable for nRFC and open rows are closed; a bank
 *       is only used if it can be precharged again before the next refresh.</li>
 * </ul>
 * Row commands are issued in time order and so are column commands, so the latest command of
 * each kind and bank group carries every earlier one's constraint (the latest ACT of a group
 * dominates its earlier ones for nRRD_L; the four latest ACTs are the nFAW window).
 * Read data ends {@code nCL + burst} after the column command, write data {@code nCWL + burst}.
 * Under {@link RowPolicy#CLOSED} a segment's last burst auto-precharges.
 *
 * <p><b>Cost.</b> One object per segment, none per burst. When the issued column belongs to the
 * oldest segment of all, is its bank's first, and its bursts are consecutive, nothing can pass or
 * come between its bursts (no other column is older, and a burst-rate stream leaves the data bus no
 * gap), so its whole run to the open row is placed at once: column k at {@code c0 + k * max(nCCD_L,
 * burst)}, as far as the next refresh allows.
 */
public final class BankTimingModel {

    /** No time: nothing due. */
    public static final long NONE = Long.MAX_VALUE;
    /** Default cap on consecutive younger row hits passing a bank's oldest request (DRAMSim3's value). */
    public static final int DEFAULT_ROW_HIT_CAP = 4;

    /** A queued request. */
    static final class Request {
        final long seq;
        final long arrivalPs;
        /** First clock edge (outside refresh) at which its commands may issue. */
        final long readyPs;
        final long firstBurst;
        final int bursts;
        final boolean write;
        int burstsLeft;
        long doneDataPs;
        final int[] outcomes = new int[RowOutcome.values().length];
        Request prev;
        Request next;
        /** Commands issued for it when the model records them (tests, traces); null otherwise, and then no command object is built. */
        List<DramCommand> commands;

        Request(long seq, long arrivalPs, long readyPs, long firstBurst, int bursts, boolean write) {
            this.seq = seq;
            this.write = write;
            this.arrivalPs = arrivalPs;
            this.readyPs = readyPs;
            this.firstBurst = firstBurst;
            this.bursts = bursts;
            this.burstsLeft = bursts;
        }
    }

    /**
     * The queues as a {@link DramScheduler} sees them. Static with an explicit model, not an inner
     * class: a checkpoint saves fields, and an inner class's hidden link to its model is not one.
     */
    public static final class Queues {
        private final BankTimingModel m;

        Queues(BankTimingModel m) { this.m = m; }

        Segment head(int bank) { return m.heads[bank]; }

        int openRow(int bank) { return m.banks[bank].openRow; }

        /** Younger hits that passed the bank's oldest segment since its row was opened. */
        int bypasses(int bank) { return m.bypasses[bank]; }

        int rowHitCap() { return m.rowHitCap; }

        /** The oldest segment queued at {@code bank} for {@code row}, or null. */
        Segment oldestFor(int bank, int row) {
            if (row == BankState.CLOSED) return null;
            for (Segment s = m.heads[bank]; s != null; s = s.nextInBank) {
                if (s.row == row) return s;
            }
            return null;
        }

        Request oldestRequest() { return m.oldest; }

        /**
         * The oldest segment whose row has not been opened for it. A bank's first segment whose row
         * is already open is granted on the way: it needs no row command.
         */
        Segment oldestUngranted() {
            while (m.ungranted != null) {
                Segment s = m.ungranted;
                if (!s.granted && !(s == m.heads[s.bank] && m.banks[s.bank].openRow == s.row)) return s;
                s.granted = true;
                m.ungranted = s.nextInOrder;
            }
            return null;
        }
    }

    private final DramStandard standard;
    private final TimingPs t;
    private final AddressMapping mapping;
    private final RefreshSchedule refresh;
    private final BankState[] banks;
    private final ChannelState channel;
    private final DramStats stats;
    private final DramScheduler scheduler;
    private final int rowHitCap;
    private final Queues queues = new Queues(this);
    private final Segment[] heads;
    private final Segment[] tails;
    private final int[] bypasses;
    /** Per bank, the segment of the request being split that the next burst may extend. */
    private final Segment[] splitting;
    /** Pending requests in arrival order. */
    private Request oldest;
    private Request youngest;
    /** Oldest segment not yet granted, and the youngest segment, of the arrival-order chain. */
    private Segment ungranted;
    private Segment youngestSegment;
    private long nextSeq;
    /** Bursts of all queued requests not yet issued. */
    private long queuedBursts;
    private long lastArrivalPs = Long.MIN_VALUE;
    /** Edges before this have been decided (schedulers that wait for time only). */
    private long decidedUntilPs = Long.MIN_VALUE;
    /** Bursts per column command run spacing and what a column leaves to do before the next refresh. */
    private final long runSpacingPs;
    private final boolean runsAllowed;
    private boolean recording;
    private Map<Long, Completion> recorded;

    /** A model in the power-up state: all banks precharged, buses idle, first refresh at nREFI. */
    public BankTimingModel(DramStandard standard, DramScheduler scheduler, int rowHitCap) {
        if (rowHitCap < 1) throw DramConfigException.expected("rowHitCap", ">= 1", rowHitCap);
        this.standard = standard;
        this.t = TimingPs.of(standard);
        this.mapping = AddressMappings.REGISTRY.named(standard.addressMapping()).create(new Geometry(standard.burstBytes(),
                standard.columnsPerRow(), standard.bankGroups(), standard.banksPerGroup(), standard.rows()));
        this.refresh = new RefreshSchedule(t.refi(), t.rfc());
        this.banks = new BankState[standard.banks()];
        for (int i = 0; i < banks.length; i++) {
            banks[i] = new BankState();
        }
        this.channel = new ChannelState(t, standard.bankGroups());
        this.stats = new DramStats(standard);
        this.scheduler = scheduler;
        this.rowHitCap = rowHitCap;
        this.heads = new Segment[banks.length];
        this.tails = new Segment[banks.length];
        this.bypasses = new int[banks.length];
        this.splitting = new Segment[banks.length];
        this.runSpacingPs = Math.max(t.ccdL(), t.burst());
        // A run leaves no gap only if its own spacing is the least any column may follow it by.
        this.runsAllowed = runSpacingPs <= Math.max(t.ccdS(), t.burst());
    }

    public DramStandard standard() { return standard; }

    public AddressMapping mapping() { return mapping; }

    public DramStats stats() { return stats; }

    public DramScheduler scheduler() { return scheduler; }

    public int rowHitCap() { return rowHitCap; }

    /** Whether nothing is queued. */
    public boolean idle() { return oldest == null; }

    /**
     * Queues a read or write of {@code bytes} bytes at {@code address} arriving at {@code arrivalPs}.
     *
     * @return the request's tag, reported by {@link #advance} with its completion
     * @throws IllegalArgumentException if {@code bytes < 1}, {@code address < 0} or
     *                                  {@code arrivalPs} is earlier than the previous arrival
     */
    public long submit(long arrivalPs, long address, int bytes, boolean write) {
        if (bytes < 1) throw new IllegalArgumentException("bytes: must be >= 1, got " + bytes);
        if (address < 0) throw new IllegalArgumentException("address: must be >= 0, got " + address);
        if (arrivalPs < lastArrivalPs) {
            throw new IllegalArgumentException("arrivalPs: must be >= the previous arrival (" + lastArrivalPs
                    + ") because requests are queued in arrival order, got " + arrivalPs);
        }
        lastArrivalPs = arrivalPs;
        long burstBytes = standard.burstBytes();
        long firstBurst = address / burstBytes;
        long lastBurst = (address + bytes - 1) / burstBytes;
        Request r = new Request(nextSeq++, arrivalPs, refresh.firstLegal(t.alignUp(arrivalPs)), firstBurst,
                (int) (lastBurst - firstBurst + 1), write);
        if (recording) r.commands = new ArrayList<>();
        queuedBursts += r.bursts;
        if (youngest == null) {
            oldest = r;
        } else {
            youngest.next = r;
            r.prev = youngest;
        }
        youngest = r;
        for (long b = firstBurst; b <= lastBurst; ) {
            DramAddress a = mapping.decode(b * burstBytes);
            int bank = a.flatBank(standard.bankGroups());
            long index = b - firstBurst;
            int inRow = (int) Math.min(mapping.burstsLeftInRow(b * burstBytes), lastBurst - b + 1);
            Segment s = splitting[bank];
            if (inRow == 1 && s != null && s.request == r && s.row == a.row()
                    && (s.remaining == 1 ? index > s.nextBurst : index == s.nextBurst + s.remaining * s.stride)) {
                if (s.remaining == 1) s.stride = index - s.nextBurst;
                s.remaining++;
            } else {
                s = new Segment(r, bank, a.bankGroup(), a.row(), write, index);
                s.stride = 1;
                s.remaining = inRow;
                splitting[bank] = s;
                enqueue(s);
            }
            b += inRow;
        }
        java.util.Arrays.fill(splitting, null);
        return r.seq;
    }

    private void enqueue(Segment s) {
        if (tails[s.bank] == null) heads[s.bank] = s; else tails[s.bank].nextInBank = s;
        tails[s.bank] = s;
        if (youngestSegment != null) youngestSegment.nextInOrder = s;
        youngestSegment = s;
        if (ungranted == null) ungranted = s;
    }

    /**
     * Decides every command at clock edges before {@code untilPs} (all queued work, for a scheduler
     * that decides at arrival) and reports each request whose last data beat is then known.
     */
    public void advance(long untilPs, MemoryTiming.Done done) {
        boolean waitsForTime = !scheduler.decidesAtArrival();
        long until = waitsForTime ? untilPs : NONE;
        while (oldest != null) {
            queues.oldestUngranted(); // grant, in order, the segments that find their row open
            Segment bestRow = null, bestCol = null, oldestHead = null;
            long rowAt = NONE, colAt = NONE;
            boolean rowIsPre = false;
            for (int b = 0; b < banks.length; b++) {
                Segment head = heads[b];
                if (head == null) continue;
                if (oldestHead == null || head.olderThan(oldestHead)) oldestHead = head;
                long reopenFrom = NONE;
                Segment c = scheduler.columnCandidate(queues, b);
                if (c != null && c.row == banks[b].openRow) {
                    long at = columnTime(c);
                    if (at >= 0) {
                        if (at < colAt || at == colAt && c.olderThan(bestCol)) {
                            colAt = at;
                            bestCol = c;
                        }
                    } else {
                        reopenFrom = -at; // a refresh closes the row first: the oldest segment opens its row after
                    }
                }
                Segment r = scheduler.rowCandidate(queues, b);
                if (reopenFrom != NONE) r = head;
                if (r == null) continue;
                BankState bank = banks[b];
                long from = Math.max(r.request.readyPs, channel.rowBusFreePs());
                long at;
                boolean pre = false;
                if (reopenFrom != NONE) {
                    at = activateTime(r, Math.max(from, reopenFrom));
                } else if (bank.openRow == r.row) {
                    at = bank.isOpen(refresh, from) ? NONE : activateTime(r, from);
                } else if (bank.openRow != BankState.CLOSED) {
                    long p = refresh.firstLegal(Math.max(from, bank.preReadyPs));
                    long nextRefresh = (refresh.startedBy(p) + 1) * t.refi();
                    if (!bank.isOpen(refresh, p)) {
                        at = activateTime(r, p);
                    } else if (activateTime(r, p + t.rp()) < nextRefresh) {
                        pre = true;
                        at = p;
                    } else {
                        at = activateTime(r, nextRefresh); // no PRE just before a refresh, which closes the row anyway
                    }
                } else {
                    at = activateTime(r, from);
                }
                if (at != NONE && (at < rowAt || at == rowAt && r.olderThan(bestRow))) {
                    rowAt = at;
                    bestRow = r;
                    rowIsPre = pre;
                }
            }
            long edge = Math.min(rowAt, colAt);
            if (edge == NONE) {
                // Every queued request has some command left: no candidate means a scheduler bug.
                throw new IllegalStateException("DRAM controller has queued requests but nothing to issue, oldest "
                        + heads[oldestHead.bank]);
            }
            if (edge >= until) break;
            if (rowAt == edge) issueRow(bestRow, edge, rowIsPre);
            if (colAt == edge) issueColumn(bestCol, edge, bestCol == oldestHead, done);
        }
        if (waitsForTime) decidedUntilPs = Math.max(decidedUntilPs, untilPs);
    }

    /**
     * A lower bound of the earliest data end of any queued request (each one's remaining bursts
     * need the data bus one after the other, from its earliest possible first column), or
     * {@link #NONE} when nothing is queued: the owner advances the model by then.
     */
    public long nextDuePs() {
        if (oldest == null) return NONE;
        long busFloor = Math.max(decidedUntilPs, channel.lastColumnPs() + t.ccdS());
        long spacing = Math.max(t.ccdS(), t.burst());
        long due = NONE;
        for (Request r = oldest; r != null; r = r.next) {
            long first = Math.max(busFloor, r.readyPs);
            long headBound = NONE;
            for (int b = 0; b < banks.length; b++) {
                Segment h = heads[b];
                if (h == null || h.request != r) continue;
                BankState bank = banks[b];
                long col = bank.openRow == h.row ? bank.colReadyPs
                        : Math.max(bank.actReadyPs, bank.openRow == BankState.CLOSED ? 0 : bank.preReadyPs + t.rp()) + t.rcd();
                headBound = Math.min(headBound, col);
            }
            if (headBound != NONE) first = Math.max(first, headBound);
            due = Math.min(due, first + (r.burstsLeft - 1) * spacing + t.casLatency(r.write) + t.burst());
        }
        return due;
    }

    /**
     * Earliest legal column command for {@code s} on its open row, or minus the time from which its
     * row must be opened again because a refresh closes it first.
     */
    private long columnTime(Segment s) {
        BankState bank = banks[s.bank];
        long c = refresh.firstLegal(Math.max(Math.max(s.request.readyPs, bank.colReadyPs),
                channel.columnReady(s.group, s.write)));
        if (!bank.isOpen(refresh, c)) return -c;
        long nextRefresh = (refresh.startedBy(c) + 1) * t.refi();
        long closedBy = Math.max(bank.preReadyPs + t.rp(), c + useAfterColumn(s.write));
        return closedBy <= nextRefresh ? c : -(nextRefresh + t.rfc());
    }

    /** From a column command until its data has ended and its bank could be precharged and idle. */
    private long useAfterColumn(boolean write) {
        return write ? t.cwl() + t.burst() + t.wr() + t.rp() : Math.max(t.rtp() + t.rp(), t.cl() + t.burst());
    }

    /**
     * Earliest legal ACT for {@code s} from {@code from}, leaving room before the next refresh for its
     * first column (no earlier than the column bus allows now) and the close after it, so that no
     * row is opened only for a refresh to close it unused.
     */
    private long activateTime(Segment s, long from) {
        BankState bank = banks[s.bank];
        long a = Math.max(Math.max(from, bank.actReadyPs), channel.activateReady(s.group));
        long columnBus = channel.columnReady(s.group, s.write);
        long busSpacing = Math.max(t.ccdS(), t.burst());
        while (true) {
            a = refresh.firstLegal(a);
            long nextRefresh = (refresh.startedBy(a) + 1) * t.refi();
            long firstColumn = Math.max(a + t.rcd(), columnBus);
            if (firstColumn + queuedBursts * busSpacing + useAfterColumn(s.write) > nextRefresh) {
                // Near a refresh: older queued bursts will take the data bus first.
                firstColumn = Math.max(firstColumn, columnBus + olderBursts(s) * busSpacing);
            }
            if (Math.max(a + t.ras() + t.rp(), firstColumn + useAfterColumn(s.write)) <= nextRefresh) return a;
            a = nextRefresh;
        }
    }

    /** Bursts of the segments at the head of other banks that are older than {@code s}. */
    private long olderBursts(Segment s) {
        long n = 0;
        for (Segment h : heads) {
            if (h != null && h.bank != s.bank && h.olderThan(s)) n += h.remaining;
        }
        return n;
    }

    private void issueRow(Segment s, long at, boolean precharge) {
        BankState bank = banks[s.bank];
        channel.recordRowCommand(at);
        bypasses[s.bank] = 0;
        if (precharge) {
            bank.precharge(at, t);
            s.outcome = RowOutcome.CONFLICT;
            if (s.request.commands != null) s.request.commands.add(new DramCommand.Precharge(s.bank, at, false));
            return;
        }
        bank.activate(s.row, at, t);
        channel.recordAct(s.group, at);
        stats.activate(s.bank);
        if (s.outcome != RowOutcome.CONFLICT) s.outcome = RowOutcome.MISS;
        s.granted = true;
        if (s.request.commands != null) s.request.commands.add(new DramCommand.Activate(s.bank, s.group, s.row, at));
    }

    /** Issues {@code s}'s next column command at {@code at}, or its whole run when nothing can come between. */
    private void issueColumn(Segment s, long at, boolean oldestOfAll, MemoryTiming.Done done) {
        BankState bank = banks[s.bank];
        boolean first = s == heads[s.bank];
        int n = 1;
        if (runsAllowed && first && oldestOfAll && s.remaining > 1 && s.stride == 1) {
            // Columns at at + k * spacing, each leaving room to close the bank before the next refresh.
            long nextRefresh = (refresh.startedBy(at) + 1) * t.refi();
            long fit = (nextRefresh - at - useAfterColumn(s.write)) / runSpacingPs + 1;
            n = (int) Math.max(1, Math.min(s.remaining, fit));
        }
        long last = at + (n - 1) * runSpacingPs;
        long dataEnd = last + t.casLatency(s.write) + t.burst();
        bank.column(s.write, last, dataEnd, t);
        channel.recordColumn(s.group, s.write, last, dataEnd);
        if (!first) bypasses[s.bank]++;
        Request r = s.request;
        stats.bursts(s.bank, s.write, s.outcome, n);
        r.outcomes[s.outcome.ordinal()]++;
        r.outcomes[RowOutcome.HIT.ordinal()] += n - 1;
        if (r.commands != null) {
            for (int k = 0; k < n; k++) {
                long c = at + k * runSpacingPs;
                int column = mapping.decode((r.firstBurst + s.nextBurst + k * s.stride) * standard.burstBytes()).column();
                r.commands.add(s.write
                        ? new DramCommand.Write(s.bank, s.group, s.row, column, c, c + t.cwl(), c + t.cwl() + t.burst())
                        : new DramCommand.Read(s.bank, s.group, s.row, column, c, c + t.cl(), c + t.cl() + t.burst()));
            }
        }
        s.outcome = RowOutcome.HIT;
        s.nextBurst += n * s.stride;
        s.remaining -= n;
        r.doneDataPs = Math.max(r.doneDataPs, dataEnd);
        r.burstsLeft -= n;
        queuedBursts -= n;
        if (s.remaining == 0) {
            unlink(s);
            if (standard.rowPolicy() == RowPolicy.CLOSED) {
                long autoPre = bank.preReadyPs;
                bank.precharge(autoPre, t);
                if (r.commands != null) r.commands.add(new DramCommand.Precharge(s.bank, autoPre, true));
            }
        }
        if (r.burstsLeft == 0) complete(r, done);
    }

    private void unlink(Segment s) {
        Segment prev = null;
        for (Segment q = heads[s.bank]; q != s; q = q.nextInBank) prev = q;
        if (prev == null) heads[s.bank] = s.nextInBank; else prev.nextInBank = s.nextInBank;
        if (tails[s.bank] == s) tails[s.bank] = prev;
        s.nextInBank = null;
        s.granted = true; // served: the arrival-order cursor may pass it
    }

    private void complete(Request r, MemoryTiming.Done done) {
        if (r.prev == null) oldest = r.next; else r.prev.next = r.next;
        if (r.next == null) youngest = r.prev; else r.next.prev = r.prev;
        if (youngest == null) {
            ungranted = null; // every queued segment has been served
            youngestSegment = null;
        }
        stats.request(r.arrivalPs, r.doneDataPs, refresh.startedBy(r.doneDataPs));
        if (recorded != null) {
            recorded.put(r.seq, new Completion(r.arrivalPs, r.doneDataPs, r.bursts, r.outcomes[RowOutcome.HIT.ordinal()],
                    r.outcomes[RowOutcome.MISS.ordinal()], r.outcomes[RowOutcome.CONFLICT.ordinal()], r.commands));
        }
        done.done(r.seq, r.doneDataPs);
    }

    // ---- convenience for tests, probes and traces: every request served to the end at once ----

    /** From now on, record each request's commands and keep its {@link Completion} for {@link #completion}. */
    public BankTimingModel recording() {
        recording = true;
        recorded = new HashMap<>();
        return this;
    }

    /** The completion of request {@code tag} (a recording model), or null while it is pending. */
    public Completion completion(long tag) {
        return recorded.get(tag);
    }

    /**
     * Queues one request and serves the queue to the end, as if no other request came later;
     * returns this request's completion with its commands.
     */
    public Completion access(long arrivalPs, long address, int bytes, boolean write) {
        if (!recording) recording();
        long tag = submit(arrivalPs, address, bytes, write);
        advance(NONE, (id, ps) -> { });
        return recorded.remove(tag);
    }

    /** Convenience: {@link #access} of a read. */
    public Completion read(long arrivalPs, long address, int bytes) {
        return access(arrivalPs, address, bytes, false);
    }

    /** Convenience: {@link #access} of a write. */
    public Completion write(long arrivalPs, long address, int bytes) {
        return access(arrivalPs, address, bytes, true);
    }
}
