package org.meshemu.dram;

/**
 * Counters of one {@link BankTimingModel}: per-bank bytes and row-buffer outcomes (counted per
 * burst, i.e. per column command), activates, refreshes and data-bus busy time, plus derived
 * rates. Bytes are bus bytes: whole bursts, so a 1-byte read counts a full burst.
 *
 * <p>Read-only to callers; the model updates it as requests are scheduled.
 */
public final class DramStats {

    private final DramStandard standard;
    private final long[] bytesRead;
    private final long[] bytesWritten;
    private final long[] rowHits;
    private final long[] rowMisses;
    private final long[] rowConflicts;
    private final long[] activates;
    private long busBusyPs;
    private long refreshes;
    private long firstArrivalPs = -1;
    private long lastDonePs = -1;

    DramStats(DramStandard standard) {
        this.standard = standard;
        int banks = standard.banks();
        bytesRead = new long[banks];
        bytesWritten = new long[banks];
        rowHits = new long[banks];
        rowMisses = new long[banks];
        rowConflicts = new long[banks];
        activates = new long[banks];
    }

    /** {@code n} bursts to {@code bank}: the first found its row as {@code first} says, the others hit. */
    void bursts(int bank, boolean write, RowOutcome first, int n) {
        (write ? bytesWritten : bytesRead)[bank] += (long) n * standard.burstBytes();
        busBusyPs += n * standard.ps(standard.burstCycles());
        rowHits[bank] += n - 1;
        switch (first) {
            case HIT -> rowHits[bank]++;
            case MISS -> rowMisses[bank]++;
            case CONFLICT -> rowConflicts[bank]++;
        }
    }

    void activate(int bank) {
        activates[bank]++;
    }

    void request(long arrivalPs, long donePs, long refreshesSoFar) {
        if (firstArrivalPs < 0 || arrivalPs < firstArrivalPs) {
            firstArrivalPs = arrivalPs;
        }
        lastDonePs = Math.max(lastDonePs, donePs);
        refreshes = Math.max(refreshes, refreshesSoFar); // requests may complete out of arrival order
    }

    public long bytesRead(int bank) {
        return bytesRead[bank];
    }

    public long bytesWritten(int bank) {
        return bytesWritten[bank];
    }

    public long rowHits(int bank) {
        return rowHits[bank];
    }

    public long rowMisses(int bank) {
        return rowMisses[bank];
    }

    public long rowConflicts(int bank) {
        return rowConflicts[bank];
    }

    public long activates(int bank) {
        return activates[bank];
    }

    public long totalBytesRead() {
        return sum(bytesRead);
    }

    public long totalBytesWritten() {
        return sum(bytesWritten);
    }

    public long totalRowHits() {
        return sum(rowHits);
    }

    public long totalRowMisses() {
        return sum(rowMisses);
    }

    public long totalRowConflicts() {
        return sum(rowConflicts);
    }

    public long totalActivates() {
        return sum(activates);
    }

    /** Refresh windows that started up to the end of the last scheduled data. */
    public long refreshes() {
        return refreshes;
    }

    /** Time the data bus carried bursts, in ps. */
    public long busBusyPs() {
        return busBusyPs;
    }

    /** From the first request's arrival to the last data beat, in ps; 0 before any request. */
    public long elapsedPs() {
        return firstArrivalPs < 0 ? 0 : lastDonePs - firstArrivalPs;
    }

    /** Hits over all column accesses; 0 when nothing was accessed. */
    public double rowHitRate() {
        long all = totalRowHits() + totalRowMisses() + totalRowConflicts();
        return all == 0 ? 0 : (double) totalRowHits() / all;
    }

    /** Bus bytes (read + written) per second over {@link #elapsedPs()}. */
    public double achievedBytesPerSecond() {
        long elapsed = elapsedPs();
        return elapsed == 0 ? 0 : (totalBytesRead() + totalBytesWritten()) * 1e12 / elapsed;
    }

    /** {@link DramStandard#peakBytesPerSecond()} of the modelled channel. */
    public double peakBytesPerSecond() {
        return standard.peakBytesPerSecond();
    }

    /** Achieved over peak bandwidth, in [0, 1]. */
    public double peakFraction() {
        return achievedBytesPerSecond() / peakBytesPerSecond();
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }
}
