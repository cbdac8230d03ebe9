package org.meshemu.kernel;

/**
 * A component's pending events, as a binary min-heap in key order ({@link Event#before}). Plain
 * arrays, made at the first event and grown on demand from four slots: most components hold one or
 * two events at a time, and a wafer holds hundreds of thousands of them, so it costs nothing until
 * used. The events' times are kept beside them, so a sift compares longs and reads an event only on a
 * tie (a router at saturation holds hundreds of events, each elsewhere in memory).
 *
 * <p>{@link ComponentActor} extends it, so that the queue's fields lie in the component's own object:
 * a started component reads them first, and as a separate object they were one more cache miss
 * after the component's own on every component a window started (docs/PERFORMANCE.md, "The queue
 * in the component's object"). Only the component's own thread (running its window, or the
 * NodeSync's at a barrier) may call it.
 */
abstract class EventQueue {
    private Event[] heap;   // null until the first event
    private long[] times;
    private int size;

    /** The time of the earliest event, or {@link Time#NEVER}. */
    final long headTime() { return size == 0 ? Time.NEVER : times[0]; }

    /** The queued events in heap order (not key order). */
    Event[] toArray() { return size == 0 ? new Event[0] : java.util.Arrays.copyOf(heap, size); }

    final void add(Event e) {
        if (heap == null) {
            heap = new Event[4];
            times = new long[4];
        } else if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
            times = java.util.Arrays.copyOf(times, size * 2);
        }
        long t = e.time();
        int p = size++;
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (!before(t, e, parent)) break;
            heap[p] = heap[parent];
            times[p] = times[parent];
            p = parent;
        }
        heap[p] = e;
        times[p] = t;
    }

    /** Removes and returns the earliest event; the queue must not be empty. */
    final Event poll() {
        Event top = heap[0];
        Event last = heap[--size];
        long lastTime = times[size];
        heap[size] = null;
        if (size > 0) {
            int p = 0;
            while (true) {
                int c = 2 * p + 1;
                if (c >= size) break;
                if (c + 1 < size && before(times[c + 1], heap[c + 1], c)) c++;
                if (!before(times[c], heap[c], lastTime, last)) break;
                heap[p] = heap[c];
                times[p] = times[c];
                p = c;
            }
            heap[p] = last;
            times[p] = lastTime;
        }
        return top;
    }

    /** Whether the event e at time t comes before the one at slot i. */
    private boolean before(long t, Event e, int i) { return before(t, e, times[i], heap[i]); }

    private static boolean before(long ta, Event a, long tb, Event b) {
        return ta != tb ? ta < tb : Event.before(a, b);
    }
}
