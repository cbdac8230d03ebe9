package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A thread's window log keeps everything a window wrote, and a partition's inboxes lose no event. */
class WindowLogTest {

    @Test
    void aLogKeepsEveryEntryPastItsFirstSizeAndClearsForTheNextWindow() {
        WindowLog log = new WindowLog();
        Event away = new Event(7, 1, 0, 2, 0, "x");
        for (int i = 0; i < 1_000; i++) {
            log.ran(i, 10L * i, i % 2, 5L * i);
            log.sent(i, 3L * i);
            log.away(away);
        }
        assertEquals(2_000, log.dueCount, "a next time and a sent event per component");
        assertEquals(1_000, log.awayCount);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, log.due[4 * i]);
            assertEquals(10L * i, log.due[4 * i + 1]);
            assertEquals(i, log.due[4 * i + 2]);
            assertEquals(3L * i, log.due[4 * i + 3]);
            assertSame(away, log.away[i]);
        }
        assertEquals(500, log.handled);
        assertEquals(5L * 999, log.lastPs, "the latest time of a component that handled events");
        log.clear();
        assertEquals(0, log.dueCount + log.awayCount);
        assertEquals(0, log.handled);
        assertEquals(-1, log.lastPs);
        for (Event e : log.away) assertNull(e, "a cleared log holds no event");
    }

    @Test
    void aComponentThatHandledNothingLeavesTheLatestTimeAlone() {
        WindowLog log = new WindowLog();
        log.ran(0, Time.NEVER, 0, 99);
        assertEquals(-1, log.lastPs);
        assertEquals(0, log.handled);
        assertEquals(0, log.dueCount, "no next event: nothing for the calendar");
    }

    @Test
    void aLogGrownByOneLargeWindowShrinksAfterASmallOne() {
        WindowLog log = new WindowLog();
        for (int i = 0; i < 200_000; i++) log.ran(i, i, 1, i);
        log.clear(); // the large window's own clear keeps the array: the next may be as large
        assertTrue(log.due.length >= 400_000);
        log.ran(0, 0, 1, 0);
        log.clear();
        assertTrue(log.due.length < 1_000, "back to a small array: " + log.due.length);
        log.ran(1, 2, 1, 3);
        assertEquals(1, log.due[0]);
    }

    @Test
    void eventsPushedFromSeveralThreadsAreAllTakenOnce() throws Exception {
        Partition p = new Partition(0, null, null, "", 4);
        int threads = 4, each = 20_000;
        Set<Event> pushed = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int source = t;
            senders[t] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < each; k++) {
                    Event e = new Event(k, source, k, k % 4, 0, null);
                    pushed.add(e);
                    p.push(k % 4, e);
                }
            });
        }
        Set<Event> taken = new HashSet<>();
        go.countDown();
        boolean sending = true;
        while (sending || taken.size() < threads * each) { // take while they push, as a window's targets do
            sending = false;
            for (Thread s : senders) sending |= s.isAlive();
            for (int i = 0; i < 4; i++) {
                for (Event e = p.takeInbox(i); e != null; e = e.next) {
                    assertEquals(i, e.target(), "taken from its own inbox");
                    assertTrue(taken.add(e), "taken once");
                }
            }
        }
        assertEquals(pushed, taken);
        for (int i = 0; i < 4; i++) assertNull(p.takeInbox(i));
    }
}
