package org.meshemu.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The messages the partitions of one JVM have handled, counted for each partition's own stall check
 * and for a {@link Watchdog} that reads them from outside the actor threads. Each partition's {@link NodeSync} counts its own, in a cache
 * line of its own, with plain stores the reader may see late: the watchdog asks only whether the
 * count has moved in the last seconds.
 */
final class Pulse {
    /** Longs between two partitions' counts: 128 bytes, so that neither shares a line (or its prefetched neighbour) with another. */
    private static final int STRIDE = 16;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] counts;

    Pulse(int partitions) {
        counts = new long[Math.max(1, partitions) * STRIDE];
    }

    /** Counts one message handled by partition {@code p}; its NodeSync alone calls it. */
    void beat(int p) {
        int i = p * STRIDE;
        COUNT.setOpaque(counts, i, (long) COUNT.getOpaque(counts, i) + 1);
    }

    /** The messages partition {@code p} has handled so far (exact on its NodeSync's own thread). */
    long count(int p) {
        return (long) COUNT.getOpaque(counts, p * STRIDE);
    }

    /** The messages handled by every partition so far, as far as this thread can see. */
    long total() {
        long total = 0;
        for (int i = 0; i < counts.length; i += STRIDE) total += (long) COUNT.getOpaque(counts, i);
        return total;
    }
}
