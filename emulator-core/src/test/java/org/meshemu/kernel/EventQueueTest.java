package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    private static final class Queue extends EventQueue {}

    private static final Comparator<Event> KEY =
            Comparator.comparingLong(Event::time).thenComparingInt(Event::source).thenComparingLong(Event::seq);

    @Test
    void eventsComeOutInKeyOrderWhateverOrderTheyWentIn() {
        // few times and few sources, so most comparisons tie on the time and many on the time and the source
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<Event> events = new ArrayList<>();
            long[] seq = new long[4];
            for (int i = 0; i < 1 + random.nextInt(300); i++) {
                int source = random.nextInt(seq.length);
                events.add(new Event(1000L * random.nextInt(3), source, seq[source]++, 9, 0, i));
            }
            Collections.shuffle(events, random);

            // a reference that holds what is queued in key order; polls interleave with adds, as for a
            // component that handles events while others arrive
            Queue queue = new Queue();
            TreeSet<Event> queued = new TreeSet<>(KEY);
            int polls = 0;
            for (Event e : events) {
                queue.add(e);
                queued.add(e);
                if (random.nextInt(4) == 0) assertSame(queued.pollFirst(), queue.poll(), "round " + round + ", poll " + polls++);
            }
            while (!queued.isEmpty()) {
                assertEquals(queued.first().time(), queue.headTime());
                assertSame(queued.pollFirst(), queue.poll(), "round " + round + ", poll " + polls++);
            }
            assertEquals(Time.NEVER, queue.headTime());
        }
    }
}
