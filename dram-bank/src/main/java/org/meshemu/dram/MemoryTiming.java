package org.meshemu.dram;

import java.util.Map;

/**
 * When a memory answers: the timing model behind a {@link Bank}. Requests are passed in arrival
 * order; {@link #serve} returns the time the last byte is ready (read data, or write done) and
 * advances the model's state. Models are named by the scenario's {@code hardware.dram.preset}.
 */
public interface MemoryTiming {
    /** Serves a request of {@code bytes} at {@code address} that arrived at {@code arrivalPs}; returns when it is done. */
    long serve(long arrivalPs, long address, long bytes, boolean write);

    /** Picoseconds the memory's data path was busy (its utilisation is this over the run time). */
    long busyPs();

    /** Counts for the report: {@code peakBytesPerSecond} always; row hits, activates, ... where the model has them. */
    Map<String, Long> counters();

    /** Bytes the memory can hold; addresses beyond would alias (a DRAM standard's rows x banks x row size). */
    long capacityBytes();

    /**
     * The fixed-latency model: one request at a time in arrival order; a request of B bytes starts
     * when the bank is free, transfers for ceil(B / bytesPerCycle) cycles and is done
     * latencyCycles after the transfer started plus the transfer:
     * done = start + (latency + ceil(B / bytesPerCycle)) cycles. The latency overlaps the next
     * request's transfer.
     */
    final class Fixed implements MemoryTiming {
        private final int latencyCycles;
        private final int bytesPerCycle;
        private final long cyclePs;
        private long freePs;
        private long busyPs;

        public Fixed(int latencyCycles, int bytesPerCycle, long cyclePs) {
            if (latencyCycles < 0 || bytesPerCycle < 1 || cyclePs < 1) {
                throw new IllegalArgumentException("bad fixed memory timing " + latencyCycles + "/" + bytesPerCycle + "/" + cyclePs);
            }
            this.latencyCycles = latencyCycles;
            this.bytesPerCycle = bytesPerCycle;
            this.cyclePs = cyclePs;
        }

        @Override
        public long serve(long arrivalPs, long address, long bytes, boolean write) {
            long start = Math.max(arrivalPs, freePs);
            long transfer = Math.ceilDiv(bytes, bytesPerCycle) * cyclePs;
            freePs = start + transfer;
            busyPs += transfer;
            return start + latencyCycles * cyclePs + transfer;
        }

        @Override public long busyPs() { return busyPs; }

        @Override public Map<String, Long> counters() { return Map.of("peakBytesPerSecond", bytesPerCycle * 1_000_000_000_000L / cyclePs); }

        /** The fixed model stands for memory of any size (e.g. the wafer's SRAM-speed local store). */
        @Override public long capacityBytes() { return Long.MAX_VALUE; }
    }

    /** A DRAM standard's timing ({@link BankTimingModel}): row buffers, tRCD/tCL/tRP/tRAS/tFAW, refresh. */
    final class Standard implements MemoryTiming {
        private final BankTimingModel model;
        private final long capacityBytes;

        public Standard(DramStandard standard) {
            this.model = new BankTimingModel(standard);
            this.capacityBytes = standard.capacityBytes();
        }

        @Override public long capacityBytes() { return capacityBytes; }

        @Override
        public long serve(long arrivalPs, long address, long bytes, boolean write) {
            return model.serve(arrivalPs, address, Math.toIntExact(bytes), write);
        }

        @Override public long busyPs() { return model.stats().busBusyPs(); }

        @Override
        public Map<String, Long> counters() {
            DramStats s = model.stats();
            return Map.of("rowHits", s.totalRowHits(), "rowMisses", s.totalRowMisses(), "rowConflicts", s.totalRowConflicts(),
                    "activates", s.totalActivates(), "refreshes", s.refreshes(),
                    "peakBytesPerSecond", (long) s.peakBytesPerSecond());
        }
    }
}
