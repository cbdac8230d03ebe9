package org.meshemu.dram;

/**
 * A request's bursts to one row of one bank, in address order: the unit a {@link DramScheduler}
 * chooses. One object per (request, bank, row), never one per burst, so a tile of many bursts
 * costs a handful of segments; the bursts of a segment are {@code stride} apart in the request's
 * burst order (1 when the column bits are the lowest of the address mapping).
 */
final class Segment {
    final BankTimingModel.Request request;
    final int bank;
    final int group;
    final int row;
    final boolean write;
    /** Index, in its request's burst order, of the next burst to issue: the scheduling key after the request's age. */
    long nextBurst;
    long stride;
    int remaining;
    /** How the first column command of this segment finds its row; the rest are hits. */
    RowOutcome outcome = RowOutcome.HIT;
    /** FCFS: the row was opened for this segment (or found open at its turn). */
    boolean granted;
    /** The next segment queued at the same bank, younger. */
    Segment nextInBank;
    /** The next segment of all queued ones in arrival (then address) order. */
    Segment nextInOrder;

    Segment(BankTimingModel.Request request, int bank, int group, int row, boolean write, long firstBurst) {
        this.request = request;
        this.bank = bank;
        this.group = group;
        this.row = row;
        this.write = write;
        this.nextBurst = firstBurst;
        this.remaining = 1;
    }

    /** Whether this segment goes before {@code other} in the scheduler's age order. */
    boolean olderThan(Segment other) {
        return request.seq != other.request.seq ? request.seq < other.request.seq : nextBurst < other.nextBurst;
    }

    @Override
    public String toString() {
        return "segment(request " + request.seq + ", bank " + bank + ", row " + row + ", " + remaining + " bursts)";
    }
}
