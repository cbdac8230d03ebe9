package org.meshemu.dashboards;

import java.util.Arrays;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.RunResult;

/**
 * A run's counts while it goes: the root's (exact at the end of each epoch, and every 4,096 local
 * windows inside a long one) and each partition's as its probe gave them at a barrier, at most once
 * per interval. Both are lower bounds of the truth, so the figures are their maxima (sums over
 * partitions). Each partition writes only its own slot, on its own thread; anyone may read.
 */
final class RunCounts {
    private final long intervalNanos;
    // by partition; replaced (larger) under the lock
    private volatile long[] due = new long[0], windows = new long[0], events = new long[0], lastPs = new long[0], waitNanos = new long[0];
    private volatile long rootWindows, rootEvents, rootLastPs, epochs;

    RunCounts(long intervalNanos) { this.intervalNanos = intervalNanos; }

    /** The root's counts so far ({@code RunObserver.windowDone}). */
    void root(long windows, long simulatedPs, long events) {
        rootWindows = windows;
        rootLastPs = simulatedPs;
        rootEvents = events;
    }

    void epochs(long rounds) { epochs = rounds; }

    /** The exact counts of the finished run. */
    void finish(RunResult result) {
        root(result.windows(), result.simulatedPs(), result.events());
        epochs = result.epochs();
    }

    /** Takes the probe's counts if its partition's interval has passed at {@code now}; says whether it did. */
    boolean record(ComponentProbe probe, long now) {
        int p = probe.partition();
        long[] d = due;
        if (p < d.length && now < d[p]) return false;
        if (p >= d.length) d = grow(p);
        d[p] = now + intervalNanos;
        windows[p] = probe.windows();
        events[p] = probe.events();
        lastPs[p] = probe.lastPs();
        waitNanos[p] = probe.barrierWaitNanos();
        return true;
    }

    private synchronized long[] grow(int partition) {
        if (partition >= due.length) {
            int n = partition + 1;
            windows = Arrays.copyOf(windows, n);
            events = Arrays.copyOf(events, n);
            lastPs = Arrays.copyOf(lastPs, n);
            waitNanos = Arrays.copyOf(waitNanos, n);
            due = Arrays.copyOf(due, n);
        }
        return due;
    }

    long windows() { return Math.max(rootWindows, Arrays.stream(windows).sum()); }

    long events() { return Math.max(rootEvents, Arrays.stream(events).sum()); }

    /** The time of the last event handled, in ps. */
    long simulatedPs() { return Math.max(rootLastPs, Arrays.stream(lastPs).max().orElse(0)); }

    long epochs() { return epochs; }

    /** Wall time partitions waited at epoch barriers, summed. */
    long barrierWaitNanos() { return Arrays.stream(waitNanos).sum(); }
}
