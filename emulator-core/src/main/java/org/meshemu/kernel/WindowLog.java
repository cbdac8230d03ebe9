package org.meshemu.kernel;

import java.util.Arrays;

/**
 * What the components that ran on one thread in one partition's window leave for its
 * {@link NodeSync}: when a component of the partition has an event due (a component's own next
 * event, or one it sent to another inside the partition: both only lower a time in the NodeSync's
 * calendar, so they are one list), the events they sent to other partitions, and how many events
 * they handled. A thread runs one component at a time, so its log needs no lock; the partition's count of running
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

    /** (local index, time) pairs: the component at that index has an event due then; dueCount of them. */
    long[] due = new long[INITIAL_PAIRS * 2];
    int dueCount;
    /** Events sent to other partitions, awayCount of them. */
    Event[] away = new Event[INITIAL_AWAY];
    int awayCount;
    /** Events handled, and the latest time one was handled at (-1: none). */
    long handled;
    long lastPs = -1;

    /** A component at {@code localIndex} ran, handled {@code events} (the last at {@code nowPs}), and next has an event at {@code nextPs}. */
    void ran(int localIndex, long nextPs, int events, long nowPs) {
        if (nextPs != Time.NEVER) due(localIndex, nextPs);
        if (events > 0) {
            handled += events;
            lastPs = Math.max(lastPs, nowPs);
        }
    }

    /** An event due at {@code timePs} was sent to the component at {@code localIndex} of this partition. */
    void sent(int localIndex, long timePs) {
        due(localIndex, timePs);
    }

    private void due(int localIndex, long timePs) {
        if (2 * dueCount == due.length) due = Arrays.copyOf(due, due.length * 2);
        due[2 * dueCount] = localIndex;
        due[2 * dueCount + 1] = timePs;
        dueCount++;
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
        if (due.length > SHRINK_FROM && 2 * dueCount < due.length / 4) due = new long[INITIAL_PAIRS * 2];
        if (away.length > SHRINK_FROM && awayCount < away.length / 4) {
            away = new Event[INITIAL_AWAY];
        } else {
            Arrays.fill(away, 0, awayCount, null);
        }
        dueCount = 0;
        awayCount = 0;
        handled = 0;
        lastPs = -1;
    }

    /** Empties the log and drops its arrays for small ones (the run has ended). */
    void release() {
        clear(); // first: it clears the entries in use, which a small new array may not have room for
        due = new long[INITIAL_PAIRS * 2];
        away = new Event[INITIAL_AWAY];
    }
}
