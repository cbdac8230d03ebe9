package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHeapTest {

    @Test
    void agreesWithANaiveModelUnderRandomSetLowerAndPoll() {
        int n = 50;
        MinHeap heap = new MinHeap(n);
        long[] model = new long[n];
        java.util.Arrays.fill(model, Time.NEVER);
        SplittableRandom r = new SplittableRandom(1);
        for (int step = 0; step < 20_000; step++) {
            int id = r.nextInt(n);
            long t = r.nextInt(1000);
            switch (r.nextInt(4)) {
                case 0 -> { heap.set(id, t); model[id] = t; }
                case 1 -> { heap.lower(id, t); model[id] = Math.min(model[id], t); }
                case 2 -> { heap.set(id, Time.NEVER); model[id] = Time.NEVER; }
                default -> {
                    long min = java.util.Arrays.stream(model).min().getAsLong();
                    assertEquals(min, heap.minKey());
                    if (!heap.isEmpty()) {
                        int polled = heap.poll();
                        assertEquals(min, model[polled], "polled id must hold the minimum key");
                        model[polled] = Time.NEVER;
                    }
                }
            }
        }
    }
}
