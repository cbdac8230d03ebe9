package org.meshemu.kernel;

/**
 * A component's pending events, as a binary min-heap in key order (time, source, sequence: {@link Event}). Plain
 * arrays, made at the first event and grown on demand from four slots: most components hold one or
 * two events at a time, and a wafer holds hundreds of thousands of them, so it costs nothing until
 * used. The events' times and sources are kept beside them, so a sift compares keys and reads an
 * event only when two have the same time and source (a router at saturation holds hundreds of
 * events, each elsewhere in memory, and many of them due in the same cycle: comparing sources
 * through the events was a tenth of a dense run's samples, docs/PERFORMANCE.md, "The queue's
 * sources"). A slot's time and source lie side by side in one array, so a comparison reads one
 * cache line, where separate arrays of times and of sources took two ("The queue's keys").
 *
 * <p>{@link ComponentActor} extends it, so that the queue's fields lie in the component's own object:
 * a started component reads them first, and as a separate object they were one more cache miss
 * after the component's own on every component a window started (docs/PERFORMANCE.md, "The queue
 * in the component's object"). Only the component's own thread (running its window, or the
 * NodeSync's at a barrier) may call it.
 */
abstract class EventQueue {
    private Event[] heap;  // null until the first event
    private long[] keys;   // by slot i: [2i] the event's time, [2i + 1] its source
    private int size;

    /** The time of the earliest event, or {@link Time#NEVER}. */
    final long headTime() { return size == 0 ? Time.NEVER : keys[0]; }

    /** The queued events in heap order (not key order). */
    Event[] toArray() { return size == 0 ? new Event[0] : java.util.Arrays.copyOf(heap, size); }

    final void add(Event e) {
        if (heap == null) {
            heap = new Event[4];
            keys = new long[8];
        } else if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
            keys = java.util.Arrays.copyOf(keys, size * 4);
        }
        long t = e.time();
        int s = e.source();
        int p = size++;
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (!before(t, s, e, parent)) break;
            move(parent, p);
            p = parent;
        }
        put(p, e, t, s);
    }

    /** Removes and returns the earliest event; the queue must not be empty. */
    final Event poll() {
        Event top = heap[0];
        Event last = heap[--size];
        long lastTime = keys[2 * size];
        int lastSource = (int) keys[2 * size + 1];
        heap[size] = null;
        if (size > 0) {
            int p = 0;
            while (true) {
                int c = 2 * p + 1;
                if (c >= size) break;
                if (c + 1 < size && before(keys[2 * c + 2], (int) keys[2 * c + 3], heap[c + 1], c)) c++;
                if (before(lastTime, lastSource, last, c)) break;
                move(c, p);
                p = c;
            }
            put(p, last, lastTime, lastSource);
        }
        return top;
    }

    private void move(int from, int to) {
        heap[to] = heap[from];
        keys[2 * to] = keys[2 * from];
        keys[2 * to + 1] = keys[2 * from + 1];
    }

    private void put(int i, Event e, long t, int s) {
        heap[i] = e;
        keys[2 * i] = t;
        keys[2 * i + 1] = s;
    }

    /**
     * Whether the event e, at time t from source s, comes before the one at slot i in key order,
     * reading the events only for their sequence numbers.
     */
    private boolean before(long t, int s, Event e, int i) {
        long ti = keys[2 * i];
        if (t != ti) return t < ti;
        int si = (int) keys[2 * i + 1];
        if (s != si) return s < si;
        return e.seq() < heap[i].seq();
    }
}
