package org.meshemu.dram;

/**
 * Row-buffer state and earliest-next-command times of one bank. Each "ready" time is the max over
 * the rules that constrain that command for this bank alone; channel-wide rules live in
 * {@link ChannelState}.
 */
final class BankState {

    static final int CLOSED = -1;
    /** A time far enough in the past that adding any timing to it stays negative-safe. */
    static final long NEVER = Long.MIN_VALUE / 4;

    int openRow = CLOSED;
    /** ACT time of the open row; a refresh after it closes the row. */
    long openedAtPs = NEVER;
    /** Earliest ACT: nRC after the previous ACT, nRP after the previous PRE. */
    long actReadyPs = NEVER;
    /** Earliest PRE: nRAS after ACT, nRTP after a read, nWR after write data. */
    long preReadyPs = NEVER;
    /** Earliest column command: nRCD after ACT. */
    long colReadyPs = NEVER;

    /** Whether {@code row} was open at {@code atPs}, considering refreshes that closed it since. */
    boolean isOpen(RefreshSchedule refresh, long atPs) {
        return openRow != CLOSED && !refresh.startsWithin(openedAtPs, atPs);
    }

    void activate(int row, long actPs, TimingPs t) {
        openRow = row;
        openedAtPs = actPs;
        actReadyPs = actPs + t.rc();
        preReadyPs = actPs + t.ras();
        colReadyPs = actPs + t.rcd();
    }

    void column(boolean write, long colPs, long dataEndPs, TimingPs t) {
        preReadyPs = Math.max(preReadyPs, prechargeAfterColumn(write, colPs, dataEndPs, t));
    }

    /** Earliest PRE after a column command: nRTP after a read, nWR after the end of write data. */
    static long prechargeAfterColumn(boolean write, long colPs, long dataEndPs, TimingPs t) {
        return write ? dataEndPs + t.wr() : colPs + t.rtp();
    }

    void precharge(long prePs, TimingPs t) {
        openRow = CLOSED;
        actReadyPs = Math.max(actReadyPs, prePs + t.rp());
    }
}
