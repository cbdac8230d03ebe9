package org.meshemu.kernel;

import java.util.Arrays;

/**
 * The slices one traced component has recorded through {@link Context#traceSlice} since an observer
 * last drained them. Filled by the component while it runs, drained by the observer at a barrier of
 * its partition ({@link ComponentProbe#trace}), so the two never overlap. Holds at most
 * {@code capacity} slices between drains and counts the rest as dropped, so memory stays bounded.
 */
public final class TraceBuffer {
    /** Receives drained slices. */
    @FunctionalInterface
    public interface Slices {
        void slice(String name, long startPs, long endPs);
    }

    private final int capacity;
    private String[] names = new String[16];
    private long[] starts = new long[16], ends = new long[16];
    private int size;
    private long dropped;

    TraceBuffer(int capacity) { this.capacity = capacity; }

    void add(String name, long startPs, long endPs) {
        if (size == capacity) {
            dropped++;
            return;
        }
        if (size == names.length) {
            int n = Math.min(capacity, size * 2);
            names = Arrays.copyOf(names, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        names[size] = name;
        starts[size] = startPs;
        ends[size++] = endPs;
    }

    /** Hands every slice recorded since the last drain to {@code to}, oldest first, and forgets them. */
    public void drain(Slices to) {
        for (int i = 0; i < size; i++) {
            to.slice(names[i], starts[i], ends[i]);
            names[i] = null;
        }
        size = 0;
    }

    /** Slices that did not fit between two drains. */
    public long dropped() { return dropped; }
}
