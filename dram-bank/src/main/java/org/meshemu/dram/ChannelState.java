package org.meshemu.dram;

/**
 * Rules shared by all banks of a channel: ACT spacing (nRRD_S/L, four-activate window nFAW),
 * column spacing (nCCD_S/L), write-to-read turnaround (nWTR) and data-bus occupancy.
 *
 * <p>ACTs and column commands are recorded in issue order and each new one is placed after the
 * previous one, so the last four ACT times are enough for nFAW.
 */
final class ChannelState {

    private final TimingPs t;
    private final long[] lastFourActs = {BankState.NEVER, BankState.NEVER, BankState.NEVER, BankState.NEVER};
    private int oldestAct;
    private long lastActPs = BankState.NEVER;
    private int lastActGroup = -1;
    private long lastColPs = BankState.NEVER;
    private int lastColGroup = -1;
    private long lastWriteDataEndPs = BankState.NEVER;
    private long busFreePs = BankState.NEVER;

    ChannelState(TimingPs t) {
        this.t = t;
    }

    /** Earliest ACT to a bank of {@code group}: nRRD after the last ACT, nFAW after the fourth-last. */
    long actReady(int group) {
        long rrd = group == lastActGroup ? t.rrdL() : t.rrdS();
        return Math.max(lastActPs + rrd, lastFourActs[oldestAct] + t.faw());
    }

    void recordAct(int group, long actPs) {
        lastActPs = actPs;
        lastActGroup = group;
        lastFourActs[oldestAct] = actPs;
        oldestAct = (oldestAct + 1) % lastFourActs.length;
    }

    /**
     * Earliest column command to {@code group}: nCCD after the last column command, nWTR after
     * write data before a read, and late enough that its data starts when the bus is free.
     */
    long colReady(int group, boolean write) {
        long ccd = group == lastColGroup ? t.ccdL() : t.ccdS();
        long ready = Math.max(lastColPs + ccd, busFreePs - t.casLatency(write));
        return write ? ready : Math.max(ready, lastWriteDataEndPs + t.wtr());
    }

    void recordCol(int group, boolean write, long colPs, long dataEndPs) {
        lastColPs = colPs;
        lastColGroup = group;
        busFreePs = dataEndPs;
        if (write) {
            lastWriteDataEndPs = dataEndPs;
        }
    }
}
