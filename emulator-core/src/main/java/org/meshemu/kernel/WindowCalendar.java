package org.meshemu.kernel;

import java.util.Arrays;

/**
 * A partition's components by the time of their next event, bucketed by local window (a calendar
 * queue): window w holds the times [w * W, (w + 1) * W). Lowering a component's time and taking a
 * window's components cost O(1) each, where a heap over hundreds of thousands of components cost
 * a cache miss per level. The next {@link #SLOTS} windows are a ring of buckets; components due
 * later wait in a heap and move into the ring as it advances. Stale bucket entries (a component
 * since lowered into an earlier window, or already started) are skipped when their bucket is read.
 */
final class WindowCalendar {
    /**
     * Windows in the ring. A model run's DRAM accesses and compute steps are due tens to hundreds of
     * one-cycle windows ahead; with 64 slots many went through the heap, a cache miss per level
     * (bitnet-2b-stacked-32x32: 8.4 us a window median with 256 against 9.8 with 64, 7 rounds).
     */
    static final int SLOTS = 256;
    private static final long NONE = Long.MAX_VALUE;

    private final long widthPs;
    // By local index i, side by side so that lowering a component's time reads one cache line:
    // [2i] its earliest pending event (NEVER if none), [2i + 1] the window whose bucket holds it, or
    // the heap of later windows if that is base + SLOTS or after (NONE if neither).
    private final long[] entries;
    private final int[][] bucket = new int[SLOTS][];
    private final int[] bucketSize = new int[SLOTS];
    private final MinHeap later;  // components due at window base + SLOTS or after, by time
    private long base;            // the earliest window the ring holds
    private int inRing;           // entries in the ring, stale ones included

    WindowCalendar(int components, long widthPs) {
        if (widthPs < 1) throw new IllegalArgumentException("window must be >= 1 ps, got " + widthPs);
        this.widthPs = widthPs;
        this.entries = new long[2 * components];
        for (int i = 0; i < components; i++) {
            entries[2 * i] = Time.NEVER;
            entries[2 * i + 1] = NONE;
        }
        this.later = new MinHeap(components);
        for (int s = 0; s < SLOTS; s++) bucket[s] = new int[8];
    }

    /** Lowers component {@code i}'s next event time to {@code t} if that is earlier. */
    void lower(int i, long t) {
        if (t >= time(i)) return;
        long w = t / widthPs;
        if (w < base) throw new IllegalStateException("event at " + t + " ps is before the calendar's window " + base);
        long held = window(i);
        entries[2 * i] = t;
        if (w >= base + SLOTS) {
            entries[2 * i + 1] = w;
            later.set(i, t);
            return;
        }
        // it waited in the heap exactly if its window is past the ring (advanceTo moves the rest in)
        if (held != NONE && held >= base + SLOTS) later.set(i, Time.NEVER);
        if (w != held) {
            entries[2 * i + 1] = w;
            add(i, w);
        }
    }

    private long time(int i) { return entries[2 * i]; }

    private long window(int i) { return entries[2 * i + 1]; }

    /** The earliest pending time, or NEVER; leaves the ring where it is. */
    long minTime() {
        if (inRing > 0) {
            for (long w = base; w < base + SLOTS; w++) {
                int s = (int) (w % SLOTS);
                long min = Time.NEVER;
                for (int k = 0; k < bucketSize[s]; k++) {
                    int i = bucket[s][k];
                    if (window(i) == w) min = Math.min(min, time(i));
                }
                if (min != Time.NEVER) return min;
            }
        }
        return later.minKey();
    }

    /**
     * Takes the earliest window's components due before its end or {@code limitPs}, whichever is
     * first: the window is [w * W, min((w + 1) * W, limitPs)), and nothing sent in it is due in it.
     * Writes their local indices to {@code into} (grown if needed), in ascending order; none if
     * nothing is due before the limit, and then the ring never moves past the limit.
     *
     * <p>Ascending because components are created in that order, so their objects lie in that
     * order in the heap: visiting them so streams through memory instead of missing the cache and
     * the TLB on each (a dense 64 x 64 run: 25-30% more events a second, docs/PERFORMANCE.md).
     */
    Taken take(long limitPs, int[] into) {
        long w = firstWindow(limitPs);
        if (w == NONE) return new Taken(into, 0, limitPs);
        long endPs = Math.min(Time.plus(w * widthPs, widthPs), limitPs);
        int s = (int) (w % SLOTS);
        int[] b = bucket[s];
        int n = 0, kept = 0;
        for (int k = 0; k < bucketSize[s]; k++) {
            int i = b[k];
            if (window(i) != w) continue; // stale
            if (time(i) < endPs) {
                if (n == into.length) into = Arrays.copyOf(into, n * 2);
                into[n++] = i;
                entries[2 * i] = Time.NEVER;
                entries[2 * i + 1] = NONE;
            } else {
                b[kept++] = i;
            }
        }
        inRing -= bucketSize[s] - kept;
        bucketSize[s] = kept;
        Arrays.sort(into, 0, n);
        return new Taken(into, n, endPs);
    }

    /** Components taken from a window: the first {@code count} of {@code ids}; the window ends at {@code endPs}. */
    record Taken(int[] ids, int count, long endPs) {}

    private void add(int i, long w) {
        int s = (int) (w % SLOTS);
        if (bucketSize[s] == bucket[s].length) bucket[s] = Arrays.copyOf(bucket[s], bucketSize[s] * 2);
        bucket[s][bucketSize[s]++] = i;
        inRing++;
    }

    /** Advances the ring to the earliest window holding a live entry; NONE if none starts before {@code limitPs}. */
    private long firstWindow(long limitPs) {
        while (true) {
            if (inRing == 0) {
                if (later.isEmpty() || later.minKey() >= limitPs) return NONE;
                advanceTo(later.minKey() / widthPs);
                continue;
            }
            int s = (int) (base % SLOTS);
            int[] b = bucket[s];
            int live = 0;
            for (int k = 0; k < bucketSize[s]; k++) if (window(b[k]) == base) b[live++] = b[k];
            inRing -= bucketSize[s] - live;
            bucketSize[s] = live;
            if (live > 0) return base;
            if ((base + 1) * widthPs >= limitPs) return NONE;
            advanceTo(base + 1);
        }
    }

    /** Moves the ring's start to window {@code w} (its slots before w are empty) and pulls in what waited for it. */
    private void advanceTo(long w) {
        base = w;
        while (!later.isEmpty() && later.minKey() / widthPs < base + SLOTS) {
            int i = later.poll();
            add(i, window(i));
        }
    }
}
