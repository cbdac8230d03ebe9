package org.meshemu.dram;

import java.util.ArrayList;
import java.util.List;

import org.meshemu.dram.mapping.AddressMapping;
import org.meshemu.dram.mapping.AddressMappings;
import org.meshemu.dram.mapping.DramAddress;
import org.meshemu.dram.mapping.Geometry;

/**
 * First-order timing model of one DRAM channel (or pseudo-channel): a set of banks with their own
 * row buffers sharing one command/data bus. One instance per bank actor; not thread-safe, which
 * is fine inside an actor. Pure logic: no clocks tick, every call computes command times from
 * the state left by earlier calls.
 *
 * <p>Contract of {@link #access}: requests are served first-come-first-served in arrival order
 * (arrivals must not decrease); a request is split into bursts of
 * {@link DramStandard#burstBytes()}; its column commands, hence its data, follow those of every
 * earlier request. Row commands (PRE/ACT) may be issued ahead of earlier requests' column
 * commands when the bank is free, as a bank-parallel controller does. Each command is placed at
 * the earliest clock edge, not before the arrival, that satisfies:
 * <ul>
 *   <li>per bank: nRCD (ACT to column), nRAS (ACT to PRE), nRP (PRE to ACT), nRC (ACT to ACT),
 *       nRTP (read to PRE), nWR (end of write data to PRE);</li>
 *   <li>per channel: nRRD_S/L (ACT to ACT), nFAW (at most four ACTs per window), nCCD_S/L
 *       (column to column), nWTR (write data to read), data-bus occupancy (bursts serialise);</li>
 *   <li>refresh: every nREFI all banks are unavailable for nRFC and open rows are closed.</li>
 * </ul>
 * Read data ends {@code nCL + burst} after the column command, write data {@code nCWL + burst}.
 * Under {@link RowPolicy#CLOSED} the last burst of a request to a row auto-precharges.
 *
 * <p>Seam for FR-FCFS: {@link #access} schedules exactly one request; a reordering scheduler
 * would choose which queued request to pass next (e.g. by {@link #wouldHit}) and keep this class
 * as its timing oracle.
 */
public final class BankTimingModel {

    private static final long NONE = -1;

    private final DramStandard standard;
    private final TimingPs t;
    private final AddressMapping mapping;
    private final RefreshSchedule refresh;
    private final BankState[] banks;
    private final ChannelState channel;
    private final DramStats stats;
    private long lastArrivalPs = Long.MIN_VALUE;

    /** A model in the power-up state: all banks precharged, bus idle, first refresh at nREFI. */
    public BankTimingModel(DramStandard standard) {
        this.standard = standard;
        this.t = TimingPs.of(standard);
        this.mapping = AddressMappings.create(standard.addressMapping(), new Geometry(standard.burstBytes(),
                standard.columnsPerRow(), standard.bankGroups(), standard.banksPerGroup(), standard.rows()));
        this.refresh = new RefreshSchedule(t.refi(), t.rfc());
        this.banks = new BankState[standard.banks()];
        for (int i = 0; i < banks.length; i++) {
            banks[i] = new BankState();
        }
        this.channel = new ChannelState(t);
        this.stats = new DramStats(standard);
    }

    public DramStandard standard() {
        return standard;
    }

    public AddressMapping mapping() {
        return mapping;
    }

    public DramStats stats() {
        return stats;
    }

    /** Whether the burst at {@code address} would find its row open if issued at {@code atPs}. */
    public boolean wouldHit(long address, long atPs) {
        DramAddress a = mapping.decode(address);
        BankState bank = banks[a.flatBank(standard.bankGroups())];
        return bank.isOpen(refresh, atPs) && bank.openRow == a.row();
    }

    /**
     * Schedules a read or write of {@code bytes} bytes at {@code address} arriving at
     * {@code arrivalPs} and advances the model's state.
     *
     * @return when the data is done and which commands were issued
     * @throws IllegalArgumentException if {@code bytes < 1}, {@code address < 0} or
     *                                  {@code arrivalPs} is earlier than the previous arrival
     */
    public Completion access(long arrivalPs, long address, int bytes, boolean write) {
        List<DramCommand> commands = new ArrayList<>();
        return access(arrivalPs, address, bytes, write, commands);
    }

    /**
     * As {@link #access(long, long, int, boolean)}, for the emulated bank, which needs only the
     * time: the same state changes, without a command record per burst (its completion lists none).
     */
    public long serve(long arrivalPs, long address, int bytes, boolean write) {
        return access(arrivalPs, address, bytes, write, null).doneDataPs();
    }

    /** {@code commands}: where to record the commands issued, or null for none. */
    private Completion access(long arrivalPs, long address, int bytes, boolean write, List<DramCommand> commands) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes: must be >= 1, got " + bytes);
        }
        if (address < 0) {
            throw new IllegalArgumentException("address: must be >= 0, got " + address);
        }
        if (arrivalPs < lastArrivalPs) {
            throw new IllegalArgumentException("arrivalPs: must be >= the previous arrival (" + lastArrivalPs
                    + ") because requests are served in arrival order, got " + arrivalPs);
        }
        lastArrivalPs = arrivalPs;
        long burstBytes = standard.burstBytes();
        long firstBurst = address / burstBytes;
        long lastBurst = (address + bytes - 1) / burstBytes;
        long start = refresh.firstLegal(t.alignUp(arrivalPs));
        int[] outcomes = new int[RowOutcome.values().length];
        long done = start;
        DramAddress next = mapping.decode(firstBurst * burstBytes);
        for (long b = firstBurst; b <= lastBurst; b++) {
            DramAddress current = next;
            next = b < lastBurst ? mapping.decode((b + 1) * burstBytes) : null;
            // Closed page: precharge when this request leaves the row (RDA/WRA on its last burst there).
            boolean autoPrecharge = standard.rowPolicy() == RowPolicy.CLOSED
                    && (next == null || next.row() != current.row()
                        || next.flatBank(standard.bankGroups()) != current.flatBank(standard.bankGroups()));
            BurstPlan plan = scheduleBurst(start, current, write, autoPrecharge, commands);
            outcomes[plan.outcome().ordinal()]++;
            done = Math.max(done, plan.dataEndPs());
        }
        stats.request(arrivalPs, done, refresh.startedBy(done));
        return new Completion(arrivalPs, done, (int) (lastBurst - firstBurst + 1), outcomes[RowOutcome.HIT.ordinal()],
                outcomes[RowOutcome.MISS.ordinal()], outcomes[RowOutcome.CONFLICT.ordinal()], commands == null ? List.of() : commands);
    }

    /** Convenience: a read of {@code bytes} bytes. */
    public Completion read(long arrivalPs, long address, int bytes) {
        return access(arrivalPs, address, bytes, false);
    }

    /** Convenience: a write of {@code bytes} bytes. */
    public Completion write(long arrivalPs, long address, int bytes) {
        return access(arrivalPs, address, bytes, true);
    }

    /**
     * Command times of one burst, {@link #NONE} for commands it does not need. {@code closeByPs}
     * is when the bank could be precharged and idle again (earliest PRE after this burst + nRP):
     * a refresh cannot start before it.
     */
    private record BurstPlan(RowOutcome outcome, long prePs, long actPs, long colPs, long dataStartPs, long dataEndPs,
                             long closeByPs) {

        long firstCommandPs() {
            return prePs != NONE ? prePs : actPs != NONE ? actPs : colPs;
        }
    }

    private BurstPlan scheduleBurst(long startPs, DramAddress a, boolean write, boolean autoPrecharge,
                                    List<DramCommand> out) {
        int bank = a.flatBank(standard.bankGroups());
        long start = startPs;
        while (true) {
            BurstPlan plan = plan(start, bank, a, write);
            // The bank is in use from its ACT (a hit reuses an earlier ACT) until it could be
            // closed again. A refresh inside that span would have to wait for it, so the burst
            // restarts after the refresh instead; the refresh has closed the row by then. Each
            // retry starts after a later window, and nREFI leaves room for a full row cycle.
            long busyFrom = plan.outcome() == RowOutcome.HIT ? banks[bank].openedAtPs : plan.firstCommandPs();
            long refreshEnd = refresh.latestWindowEndOverlapping(busyFrom, plan.closeByPs() - 1);
            if (refreshEnd < 0) {
                commit(plan, bank, a, write, autoPrecharge, out);
                return plan;
            }
            if (refreshEnd <= start) {
                // Cannot happen while BankState.isOpen honours refreshes; fail loudly rather than spin.
                throw new IllegalStateException("refresh retry made no progress at " + start + " ps for " + a);
            }
            start = refreshEnd;
        }
    }

    /** Earliest legal times for the commands of one burst, without changing any state. */
    private BurstPlan plan(long start, int bank, DramAddress a, boolean write) {
        BankState s = banks[bank];
        boolean open = s.isOpen(refresh, start);
        RowOutcome outcome;
        long pre = NONE;
        long act = NONE;
        long colReady;
        long preReady;
        if (open && s.openRow == a.row()) {
            outcome = RowOutcome.HIT;
            colReady = Math.max(start, s.colReadyPs);
            preReady = s.preReadyPs;
        } else {
            long actReady = Math.max(start, s.actReadyPs);
            if (open) {
                outcome = RowOutcome.CONFLICT;
                pre = Math.max(start, s.preReadyPs);
                actReady = Math.max(actReady, pre + t.rp());
            } else {
                outcome = RowOutcome.MISS;
            }
            act = Math.max(actReady, channel.actReady(a.bankGroup()));
            colReady = act + t.rcd();
            preReady = act + t.ras();
        }
        long col = Math.max(colReady, channel.colReady(a.bankGroup(), write));
        long dataStart = col + t.casLatency(write);
        long dataEnd = dataStart + t.burst();
        preReady = Math.max(preReady, BankState.prechargeAfterColumn(write, col, dataEnd, t));
        return new BurstPlan(outcome, pre, act, col, dataStart, dataEnd, preReady + t.rp());
    }

    private void commit(BurstPlan p, int bank, DramAddress a, boolean write, boolean autoPrecharge,
                        List<DramCommand> out) {
        BankState s = banks[bank];
        if (p.prePs() != NONE) {
            s.precharge(p.prePs(), t);
            if (out != null) out.add(new DramCommand.Precharge(bank, p.prePs(), false));
        }
        if (p.actPs() != NONE) {
            s.activate(a.row(), p.actPs(), t);
            channel.recordAct(a.bankGroup(), p.actPs());
            stats.activate(bank);
            if (out != null) out.add(new DramCommand.Activate(bank, a.bankGroup(), a.row(), p.actPs()));
        }
        s.column(write, p.colPs(), p.dataEndPs(), t);
        channel.recordCol(a.bankGroup(), write, p.colPs(), p.dataEndPs());
        stats.burst(bank, write, p.outcome());
        if (out != null) out.add(write
                ? new DramCommand.Write(bank, a.bankGroup(), a.row(), a.column(), p.colPs(), p.dataStartPs(),
                        p.dataEndPs())
                : new DramCommand.Read(bank, a.bankGroup(), a.row(), a.column(), p.colPs(), p.dataStartPs(),
                        p.dataEndPs()));
        if (autoPrecharge) {
            long autoPre = s.preReadyPs;
            s.precharge(autoPre, t);
            if (out != null) out.add(new DramCommand.Precharge(bank, autoPre, true));
        }
    }
}
