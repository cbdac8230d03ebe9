package org.meshemu.dram;

/**
 * Rules shared by all banks of a channel: ACT spacing (nRRD_L within a bank group, nRRD_S across
 * groups, at most four ACTs per nFAW window), column spacing (nCCD_L / nCCD_S), write-to-read
 * turnaround (nWTR), data-bus occupancy and the command bus (one row and one column command per
 * clock edge).
 *
 * <p>Row commands are recorded in issue order and so are column commands, each no earlier than
 * the one before, so for every rule the latest command it applies to carries the constraint of
 * all earlier ones: the latest ACT of each group (nRRD_L), the latest ACT of any group (nRRD_S,
 * which never exceeds nRRD_L), the four latest ACTs (nFAW), and likewise for columns.
 */
final class ChannelState {

    private final TimingPs t;
    private final long[] lastFourActs = {BankState.NEVER, BankState.NEVER, BankState.NEVER, BankState.NEVER};
    private int oldestAct;
    private final long[] lastActOfGroup;
    private long lastActPs = BankState.NEVER;
    private long lastRowCommandPs = BankState.NEVER;
    private final long[] lastColumnOfGroup;
    private long lastColumnPs = BankState.NEVER;
    private long lastWriteDataEndPs = BankState.NEVER;
    private long busFreePs = BankState.NEVER;

    ChannelState(TimingPs t, int bankGroups) {
        this.t = t;
        this.lastActOfGroup = new long[bankGroups];
        this.lastColumnOfGroup = new long[bankGroups];
        java.util.Arrays.fill(lastActOfGroup, BankState.NEVER);
        java.util.Arrays.fill(lastColumnOfGroup, BankState.NEVER);
    }

    /** Earliest row command (ACT or PRE): one per clock edge. */
    long rowBusFreePs() {
        return lastRowCommandPs + t.tck();
    }

    void recordRowCommand(long atPs) {
        lastRowCommandPs = atPs;
    }

    /** Earliest ACT to a bank of {@code group}: nRRD_L after the group's ACTs, nRRD_S after any, nFAW after the fourth-last. */
    long activateReady(int group) {
        return Math.max(Math.max(lastActOfGroup[group] + t.rrdL(), lastActPs + t.rrdS()),
                Math.max(lastFourActs[oldestAct] + t.faw(), rowBusFreePs()));
    }

    void recordAct(int group, long actPs) {
        lastActPs = actPs;
        lastActOfGroup[group] = actPs;
        lastFourActs[oldestAct] = actPs;
        oldestAct = (oldestAct + 1) % lastFourActs.length;
    }

    /**
     * Earliest column command to {@code group}: nCCD_L after the group's columns, nCCD_S after any
     * (which also keeps one column command per edge), nWTR after write data before a read, and late
     * enough that its data starts when the bus is free.
     */
    long columnReady(int group, boolean write) {
        long ready = Math.max(Math.max(lastColumnOfGroup[group] + t.ccdL(), lastColumnPs + Math.max(t.ccdS(), t.tck())),
                busFreePs - t.casLatency(write));
        return write ? ready : Math.max(ready, lastWriteDataEndPs + t.wtr());
    }

    void recordColumn(int group, boolean write, long colPs, long dataEndPs) {
        lastColumnPs = colPs;
        lastColumnOfGroup[group] = colPs;
        busFreePs = dataEndPs;
        if (write) {
            lastWriteDataEndPs = dataEndPs;
        }
    }

    /** The latest column command issued. */
    long lastColumnPs() {
        return lastColumnPs;
    }
}
