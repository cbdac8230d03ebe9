package org.meshemu.dram;

/**
 * Fixed all-bank refresh: the k-th refresh ({@code k >= 1}) occupies {@code [k*refi, k*refi+rfc)}
 * and closes every open row. Pure arithmetic on time, so a model never has to "tick" to learn
 * where refreshes fall, and out-of-order lookahead scheduling sees the same windows.
 *
 * <p>A burst may only use a bank in one refresh interval: from its ACT until the bank could be
 * precharged and idle again (nRAS, nRTP, nWR, then nRP) must end by the next window, which is
 * what lets the controller precharge all banks before REF. Rows are closed at the window start;
 * the precharge-all itself is not listed as a command.
 */
record RefreshSchedule(long refiPs, long rfcPs) {

    /** Number of refresh windows that have started at or before {@code t}. */
    long startedBy(long t) {
        return t < 0 ? 0 : t / refiPs;
    }

    /** Whether a refresh started in {@code (from, to]}, i.e. a row open at {@code from} is closed by {@code to}. */
    boolean startsWithin(long from, long to) {
        return startedBy(to) > startedBy(from);
    }

    /**
     * End of the latest refresh window that overlaps the closed interval {@code [from, to]}, or
     * {@code -1} if none does. Work scheduled in that interval has to restart after the window.
     */
    long latestWindowEndOverlapping(long from, long to) {
        long k = startedBy(to);
        if (k < 1) {
            return -1;
        }
        long end = k * refiPs + rfcPs;
        return end > from ? end : -1;
    }

    /** {@code t}, or the end of the refresh window containing it. */
    long firstLegal(long t) {
        long end = latestWindowEndOverlapping(t, t);
        return end < 0 ? t : end;
    }
}
