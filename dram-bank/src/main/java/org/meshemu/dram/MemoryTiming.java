package org.meshemu.dram;

import org.meshemu.kernel.Counters;

/**
 * When a memory answers: the timing model behind a {@link Bank}. The bank passes each request as
 * it arrives ({@link #accept}) and asks for the requests whose data is then known ({@link #advance});
 * a model that may still reorder queued requests says by when it must be asked again
 * ({@link #nextDuePs}), never later than any queued request's completion. Models are named by the
 * scenario's {@code hardware.dram.preset}.
 */
public interface MemoryTiming {
    /** No time: nothing queued. */
    long NONE = BankTimingModel.NONE;

    /** Where {@link #advance} reports a request's completion: its tag and when its last byte is ready. */
    @FunctionalInterface
    interface Done {
        void done(long tag, long donePs);
    }

    /**
     * Queues a request of {@code bytes} at {@code address} arriving at {@code nowPs} (arrivals never
     * decrease); returns its tag, distinct from every other queued request's.
     */
    long accept(long nowPs, long address, long bytes, boolean write);

    /** Decides what can be decided at {@code nowPs} and reports every request whose completion is then known. */
    void advance(long nowPs, Done done);

    /** When {@link #advance} must be called again (at the latest), or {@link #NONE}. */
    long nextDuePs();

    /** Picoseconds the memory's data path was busy (its utilisation is this over the run time). */
    long busyPs();

    /** Counts for the report: {@code peakBytesPerSecond} always; row hits, activates, ... where the model has them. */
    Counters counters();

    /** Bytes the memory can hold; addresses beyond would alias (a DRAM standard's rows x banks x row size). */
    long capacityBytes();

    /**
     * The fixed-latency model: one request at a time in arrival order; a request of B bytes starts
     * when the bank is free, transfers for ceil(B / bytesPerCycle) cycles and is done
     * latencyCycles after the transfer started plus the transfer:
     * done = start + (latency + ceil(B / bytesPerCycle)) cycles. The latency overlaps the next
     * request's transfer. Decided at arrival, so it never asks to be advanced.
     */
    final class Fixed implements MemoryTiming {
        private static final String[] PEAK = {Bank.PEAK_BYTES_PER_SECOND};
        private final int latencyCycles;
        private final int bytesPerCycle;
        private final long cyclePs;
        private long freePs;
        private long busyPs;
        /** The request accepted and not yet reported (the bank advances right after accepting). */
        private long pendingTag = -1;
        private long pendingDonePs;
        private long nextTag;

        public Fixed(int latencyCycles, int bytesPerCycle, long cyclePs) {
            if (latencyCycles < 0 || bytesPerCycle < 1 || cyclePs < 1) {
                throw new IllegalArgumentException("bad fixed memory timing " + latencyCycles + "/" + bytesPerCycle + "/" + cyclePs);
            }
            this.latencyCycles = latencyCycles;
            this.bytesPerCycle = bytesPerCycle;
            this.cyclePs = cyclePs;
        }

        /** The completion time of a request arriving at {@code arrivalPs}, advancing the bank's state. */
        public long serve(long arrivalPs, long bytes) {
            long start = Math.max(arrivalPs, freePs);
            long transfer = Math.ceilDiv(bytes, bytesPerCycle) * cyclePs;
            freePs = start + transfer;
            busyPs += transfer;
            return start + latencyCycles * cyclePs + transfer;
        }

        @Override
        public long accept(long nowPs, long address, long bytes, boolean write) {
            if (pendingTag >= 0) throw new IllegalStateException("fixed memory: request " + pendingTag + " was not reported");
            pendingTag = nextTag++;
            pendingDonePs = serve(nowPs, bytes);
            return pendingTag;
        }

        @Override
        public void advance(long nowPs, Done done) {
            if (pendingTag < 0) return;
            long tag = pendingTag;
            pendingTag = -1;
            done.done(tag, pendingDonePs);
        }

        @Override public long nextDuePs() { return NONE; }

        @Override public long busyPs() { return busyPs; }

        @Override public Counters counters() { return Counters.of(PEAK, bytesPerCycle * 1_000_000_000_000L / cyclePs); }

        /** The fixed model stands for memory of any size (e.g. the wafer's SRAM-speed local store). */
        @Override public long capacityBytes() { return Long.MAX_VALUE; }
    }

    /**
     * A DRAM standard's timing ({@link BankTimingModel}): a controller whose {@link DramScheduler}
     * orders the queued requests; row buffers, tRCD/tCL/tRP/tRAS/tFAW, refresh.
     */
    final class Standard implements MemoryTiming {
        private static final String[] REPORTED = {Bank.ROW_HITS, Bank.ROW_MISSES, Bank.ROW_CONFLICTS, Bank.ACTIVATES, Bank.REFRESHES,
                Bank.PEAK_BYTES_PER_SECOND};
        private final BankTimingModel model;
        private final long capacityBytes;

        public Standard(DramStandard standard, DramScheduler scheduler, int rowHitCap) {
            this.model = new BankTimingModel(standard, scheduler, rowHitCap);
            this.capacityBytes = standard.capacityBytes();
        }

        @Override public long capacityBytes() { return capacityBytes; }

        @Override
        public long accept(long nowPs, long address, long bytes, boolean write) {
            return model.submit(nowPs, address, Math.toIntExact(bytes), write);
        }

        @Override
        public void advance(long nowPs, Done done) {
            model.advance(nowPs, done);
        }

        @Override public long nextDuePs() { return model.nextDuePs(); }

        @Override public long busyPs() { return model.stats().busBusyPs(); }

        @Override
        public Counters counters() {
            DramStats s = model.stats();
            return Counters.of(REPORTED, s.totalRowHits(), s.totalRowMisses(), s.totalRowConflicts(), s.totalActivates(), s.refreshes(),
                    (long) s.peakBytesPerSecond());
        }
    }
}
