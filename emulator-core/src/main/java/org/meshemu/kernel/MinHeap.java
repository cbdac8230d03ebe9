package org.meshemu.kernel;

import java.util.Arrays;

/**
 * An indexed binary min-heap of small integer ids keyed by a {@code long} time, with
 * decrease-or-set in O(log n). {@link NodeSync} keeps its components' next event times in one, so
 * each window costs work proportional to the active components only, not to all of them.
 */
final class MinHeap {
    private final long[] key;
    private final int[] heap;
    private final int[] pos; // position of id in heap, -1 if absent
    private int size;

    MinHeap(int capacity) {
        key = new long[capacity];
        heap = new int[capacity];
        pos = new int[capacity];
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() { return size == 0; }

    long minKey() { return size == 0 ? Time.NEVER : key[heap[0]]; }

    /** Removes and returns the id with the smallest key. */
    int poll() {
        int top = heap[0];
        remove(top);
        return top;
    }

    /** Sets id's key to {@code t} (inserting it, raising or lowering it); NEVER removes it. */
    void set(int id, long t) {
        if (t == Time.NEVER) { remove(id); return; }
        if (pos[id] < 0) {
            key[id] = t;
            heap[size] = id;
            pos[id] = size++;
            up(pos[id]);
        } else {
            long old = key[id];
            key[id] = t;
            if (t < old) up(pos[id]); else down(pos[id]);
        }
    }

    /** Lowers id's key to {@code t} if that is earlier (inserting it if absent). */
    void lower(int id, long t) {
        if (pos[id] < 0 || t < key[id]) set(id, t);
    }

    private void remove(int id) {
        int p = pos[id];
        if (p < 0) return;
        int last = heap[--size];
        pos[id] = -1;
        if (p < size) {
            heap[p] = last;
            pos[last] = p;
            up(p);
            down(pos[last]);
        }
    }

    private void up(int p) {
        int id = heap[p];
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            if (key[heap[parent]] <= key[id]) break;
            heap[p] = heap[parent];
            pos[heap[p]] = p;
            p = parent;
        }
        heap[p] = id;
        pos[id] = p;
    }

    private void down(int p) {
        int id = heap[p];
        while (true) {
            int c = 2 * p + 1;
            if (c >= size) break;
            if (c + 1 < size && key[heap[c + 1]] < key[heap[c]]) c++;
            if (key[heap[c]] >= key[id]) break;
            heap[p] = heap[c];
            pos[heap[p]] = p;
            p = c;
        }
        heap[p] = id;
        pos[id] = p;
    }
}
