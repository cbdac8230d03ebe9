package org.meshemu.kernel;

import java.util.Arrays;

/**
 * What the components that ran on one thread in one partition's window leave for its
 * {@link NodeSync}: their next event times, the (target, due time) pairs of what they sent inside the
 * partition, the events they sent to other partitions, and how many events they handled. A thread
 * runs one component at a time, so its log needs no lock; the partition's count of running
 * components orders the log's writes before the NodeSync reads it ({@link Partition#finished}).
 *
 * <p>The NodeSync then reads a few arrays front to back instead of every started component's own
 * object, which has just been written on whichever core ran it (a miss on the serial path between
 * two windows, one per started component), and a component keeps no buffers of its own between
 * windows (docs/PERFORMANCE.md, "The window's log").
 */
final class WindowLog {
    private static final int INITIAL_PAIRS = 32;
    private static final int INITIAL_AWAY = 16;
    /** An array longer than this, and four times what a window used, is made small again ({@link #clear}). */
    private static final int SHRINK_FROM = 1 << 16;

    /** (local index, next event time or {@link Time#NEVER}) of each component that ran, ranCount of them. */
    long[] ran = new long[INITIAL_PAIRS * 2];
    int ranCount;
    /** (target's local index, due time) of each event sent inside the partition, sentCount of them. */
    long[] sent = new long[INITIAL_PAIRS * 2];
    int sentCount;
    /** Events sent to other partitions, awayCount of them. */
    Event[] away = new Event[INITIAL_AWAY];
    int awayCount;
    /** Events handled, and the latest time one was handled at (-1: none). */
    long handled;
    long lastPs = -1;

    /** A component at {@code localIndex} ran, handled {@code events} (the last at {@code nowPs}), and next has an event at {@code nextPs}. */
    void ran(int localIndex, long nextPs, int events, long nowPs) {
        if (2 * ranCount == ran.length) ran = Arrays.copyOf(ran, ran.length * 2);
        ran[2 * ranCount] = localIndex;
        ran[2 * ranCount + 1] = nextPs;
        ranCount++;
        if (events > 0) {
            handled += events;
            lastPs = Math.max(lastPs, nowPs);
        }
    }

    /** An event due at {@code timePs} was sent to the component at {@code localIndex} of this partition. */
    void sent(int localIndex, long timePs) {
        if (2 * sentCount == sent.length) sent = Arrays.copyOf(sent, sent.length * 2);
        sent[2 * sentCount] = localIndex;
        sent[2 * sentCount + 1] = timePs;
        sentCount++;
    }

    /** An event was sent to a component of another partition. */
    void away(Event e) {
        if (awayCount == away.length) away = Arrays.copyOf(away, awayCount * 2);
        away[awayCount++] = e;
    }

    /**
     * Empties the log for the next window (the NodeSync, once it has read it). An array far larger
     * than this window needed (a wafer's first window can start every component) goes back to its
     * first size, so a log holds about what its thread's windows hold, not their peak.
     */
    void clear() {
        if (ran.length > SHRINK_FROM && 2 * ranCount < ran.length / 4) ran = new long[INITIAL_PAIRS * 2];
        if (sent.length > SHRINK_FROM && 2 * sentCount < sent.length / 4) sent = new long[INITIAL_PAIRS * 2];
        if (away.length > SHRINK_FROM && awayCount < away.length / 4) {
            away = new Event[INITIAL_AWAY];
        } else {
            Arrays.fill(away, 0, awayCount, null);
        }
        ranCount = 0;
        sentCount = 0;
        awayCount = 0;
        handled = 0;
        lastPs = -1;
    }

    /** Empties the log and drops its arrays for small ones (the run has ended). */
    void release() {
        ran = new long[INITIAL_PAIRS * 2];
        sent = new long[INITIAL_PAIRS * 2];
        away = new Event[INITIAL_AWAY];
        clear();
    }
}
