package org.meshemu.dram;

import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * Which queued work a DRAM channel's controller may issue next: per bank, the segment (a request's
 * bursts to one row of that bank) whose column command may go, and the segment whose row command
 * (PRE or ACT) may go. {@link BankTimingModel} computes when each candidate is legal, issues the
 * earliest, and among candidates legal at the same clock edge the oldest (request arrival order,
 * then address); it issues at most one row and one column command per edge. Decisions see only
 * the simulated state and the queued requests' keys, never the order messages arrived in within
 * a timestamp beyond the kernel's event order.
 *
 * <p>Registered by name in {@link #REGISTRY} (one class and one line in
 * {@code META-INF/services/org.meshemu.dram.DramScheduler$Factory}); {@code hardware.dram.scheduler}
 * names one.
 */
public interface DramScheduler {

    /**
     * Whether no later arrival can change an earlier request's commands, so the controller can
     * decide a request completely when it arrives (no self-wakeups, no extra events).
     */
    boolean decidesAtArrival();

    /** Bank {@code bank}'s segment whose column command may issue if its row is open, or null. */
    Segment columnCandidate(BankTimingModel.Queues q, int bank);

    /** Bank {@code bank}'s segment whose row command (PRE of another row, or ACT) may issue, or null. */
    Segment rowCandidate(BankTimingModel.Queues q, int bank);

    /** Called when {@code s}'s row has been activated for it, or found open at its turn. */
    default void granted(Segment s) {}

    /** A scheduler of one kind; a factory because a scheduler may keep per-channel state. */
    interface Factory extends Named {
        DramScheduler create();
    }

    /** Schedulers by scenario name. */
    Registry<Factory> REGISTRY = Registry.of(Factory.class, "hardware.dram.scheduler");

    /** The default, as DRAMSim3 and Ramulator controllers: first-ready, first-come-first-served. */
    String DEFAULT = "frfcfs";

    /**
     * First-come-first-served: column commands in request arrival order (a request's columns go
     * once every earlier request's have; inside a request any ready burst, lowest address first),
     * row commands in segment order (each segment's PRE/ACT after every earlier segment's), so a
     * request waiting for its bank holds up every later one. A row command may still go ahead of
     * earlier requests' column commands, as a bank-parallel in-order controller does.
     */
    final class Fcfs implements DramScheduler {
        /** {@code fcfs}. */
        public static final class Provider implements Factory {
            @Override public String name() { return "fcfs"; }

            @Override public DramScheduler create() { return new Fcfs(); }
        }

        @Override public boolean decidesAtArrival() { return true; }

        @Override
        public Segment columnCandidate(BankTimingModel.Queues q, int bank) {
            Segment head = q.head(bank);
            return head != null && head.granted && head.request == q.oldestRequest() ? head : null;
        }

        @Override
        public Segment rowCandidate(BankTimingModel.Queues q, int bank) {
            Segment head = q.head(bank);
            if (head == null) return null;
            // A granted head whose row a refresh closed opens it again out of turn.
            return head == q.oldestUngranted() || head.granted ? head : null;
        }
    }

    /**
     * FR-FCFS with per-bank queues (Rixner et al., ISCA 2000; DRAMSim3's PER_BANK queues): a column
     * command to the open row goes before older requests' row commands, the bank's oldest segment
     * first; a younger hit may pass the bank's oldest segment (waiting for another row) at most
     * {@link BankTimingModel#rowHitCap()} times in a row, after which that segment's PRE goes.
     */
    final class FrFcfs implements DramScheduler {
        /** {@code frfcfs}. */
        public static final class Provider implements Factory {
            @Override public String name() { return "frfcfs"; }

            @Override public DramScheduler create() { return new FrFcfs(); }
        }

        @Override public boolean decidesAtArrival() { return false; }

        @Override
        public Segment columnCandidate(BankTimingModel.Queues q, int bank) {
            Segment head = q.head(bank);
            if (head == null) return null;
            int open = q.openRow(bank);
            if (head.row == open) return head;
            return q.bypasses(bank) < q.rowHitCap() ? q.oldestFor(bank, open) : null;
        }

        @Override
        public Segment rowCandidate(BankTimingModel.Queues q, int bank) {
            Segment head = q.head(bank);
            if (head == null || head.row == q.openRow(bank)) return null;
            // A pending younger hit keeps the row open until the cap is reached.
            return q.bypasses(bank) < q.rowHitCap() && q.oldestFor(bank, q.openRow(bank)) != null ? null : head;
        }
    }
}
