package org.meshemu.kernel;

/**
 * A component's pending events, as a binary min-heap in key order ({@link Event#before}). A plain
 * array, grown on demand from four slots: most components hold one or two events at a time, and a
 * wafer holds hundreds of thousands of them, so it costs nothing until used.
 */
final class EventQueue {
    private Event[] heap = new Event[4];
    private int size;

    boolean isEmpty() { return size == 0; }

    /** The time of the earliest event, or {@link Time#NEVER}. */
    long headTime() { return size == 0 ? Time.NEVER : heap[0].time(); }

    /** The queued events in heap order (not key order). */
    Event[] toArray() { return java.util.Arrays.copyOf(heap, size); }

    void add(Event e) {
        if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2);
        int p = size++;
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (!Event.before(e, heap[parent])) break;
            heap[p] = heap[parent];
            p = parent;
        }
        heap[p] = e;
    }

    /** Removes and returns the earliest event; the queue must not be empty. */
    Event poll() {
        Event top = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int p = 0;
            while (true) {
                int c = 2 * p + 1;
                if (c >= size) break;
                if (c + 1 < size && Event.before(heap[c + 1], heap[c])) c++;
                if (!Event.before(heap[c], last)) break;
                heap[p] = heap[c];
                p = c;
            }
            heap[p] = last;
        }
        return top;
    }
}
