package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowCalendarTest {
    static int[] take(WindowCalendar c, long end) {
        return ids(c.take(end, new int[1]));
    }

    /** The taken ids as given: tests compare them in ascending order, the order take promises. */
    static int[] ids(WindowCalendar.Taken t) {
        return Arrays.copyOf(t.ids(), t.count());
    }

    @Test
    void aWindowHoldsTheTimesOfItsWidthAndNoMore() {
        WindowCalendar c = new WindowCalendar(4, 1000);
        c.lower(0, 999);  // window 0, last ps
        c.lower(1, 1000); // window 1, first ps
        c.lower(2, 500);
        assertEquals(500, c.minTime());
        WindowCalendar.Taken first = c.take(5000, new int[1]);
        assertEquals(1000, first.endPs(), "the window of 500 ps ends at 1000 ps");
        assertArrayEquals(new int[] {0, 2}, ids(first));
        assertEquals(1000, c.minTime());
        assertArrayEquals(new int[] {1}, take(c, 2000));
        assertEquals(Time.NEVER, c.minTime());
    }

    @Test
    void loweringMovesAComponentAndOnlyEarlierTimesCount() {
        WindowCalendar c = new WindowCalendar(2, 1000);
        c.lower(0, 5500);
        c.lower(0, 7000); // later: ignored
        c.lower(0, 2100); // earlier: moves to window 2; its entry in window 5 is stale
        assertEquals(2100, c.minTime());
        assertArrayEquals(new int[] {0}, take(c, 3000));
        assertEquals(Time.NEVER, c.minTime(), "the stale entry is not pending");
    }

    @Test
    void anEpochEndInsideAWindowLeavesTheLaterOnesThere() {
        WindowCalendar c = new WindowCalendar(3, 1000);
        c.lower(0, 100);
        c.lower(1, 600);
        assertArrayEquals(new int[] {0}, take(c, 600), "due at 600: not before an end of 600");
        assertEquals(600, c.minTime());
        assertArrayEquals(new int[] {1}, take(c, 601));
    }

    @Test
    void componentsDueBeyondTheRingWaitAndComeBackInOrder() {
        WindowCalendar c = new WindowCalendar(3, 10);
        long far = 10L * (WindowCalendar.SLOTS + 5);
        c.lower(0, far + 3);
        c.lower(1, 1_000_000);
        c.lower(2, 15);
        assertArrayEquals(new int[] {2}, take(c, 20));
        assertEquals(far + 3, c.minTime(), "empty windows are skipped");
        c.lower(1, far + 7); // lowered while waiting beyond the ring
        assertArrayEquals(new int[] {0, 1}, take(c, far + 10));
        assertEquals(Time.NEVER, c.minTime());
    }

    @Test
    void aComponentLoweredFromBeyondTheRingIntoItLeavesTheWait() {
        WindowCalendar c = new WindowCalendar(2, 10);
        long far = 10L * (WindowCalendar.SLOTS + 5);
        c.lower(0, far + 3); // waits beyond the ring
        c.lower(1, 5);
        assertArrayEquals(new int[] {1}, take(c, 10));
        c.lower(0, 25); // into the ring: it no longer waits
        assertEquals(25, c.minTime());
        assertArrayEquals(new int[] {0}, take(c, 30));
        assertEquals(Time.NEVER, c.minTime(), "nothing left waiting beyond the ring");
        assertArrayEquals(new int[] {}, take(c, far + 10));
    }

    @Test
    void agreesWithAPlainArrayOfTimesUnderRandomLowersAndTakes() {
        int n = 24;
        long width = 10;
        long ring = width * WindowCalendar.SLOTS;
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            WindowCalendar c = new WindowCalendar(n, width);
            long[] times = new long[n];
            Arrays.fill(times, Time.NEVER);
            long now = 0; // the end of the last window taken or epoch ended: no event is due before it
            for (int step = 0; step < 2_000; step++) {
                if (random.nextInt(3) > 0) {
                    int i = random.nextInt(n);
                    long t = switch (random.nextInt(4)) {
                        case 0 -> now + random.nextLong(4 * width);
                        case 1 -> (now / width + WindowCalendar.SLOTS - random.nextInt(2)) * width; // either side of the ring's end
                        case 2 -> now + random.nextLong(ring);
                        default -> now + random.nextLong(3 * ring);
                    };
                    c.lower(i, t);
                    times[i] = Math.min(times[i], t);
                    continue;
                }
                long min = Arrays.stream(times).min().getAsLong();
                assertEquals(min, c.minTime(), "seed " + seed + ", step " + step);
                long limit = now + 1 + random.nextLong(2 * ring);
                WindowCalendar.Taken taken = c.take(limit, new int[1]);
                if (min >= limit) { // nothing due in the epoch: the next begins at its limit
                    assertEquals(0, taken.count(), "seed " + seed + ", step " + step);
                    now = limit;
                    continue;
                }
                long end = Math.min((min / width + 1) * width, limit);
                int[] due = java.util.stream.IntStream.range(0, n).filter(i -> times[i] < end).toArray();
                assertArrayEquals(due, ids(taken), "seed " + seed + ", step " + step);
                assertEquals(end, taken.endPs());
                for (int i : due) times[i] = Time.NEVER;
                now = end;
            }
        }
    }

    @Test
    void aWindowsComponentsComeInAscendingOrderHoweverTheyWereLowered() {
        int n = 500;
        WindowCalendar c = new WindowCalendar(n, 1000);
        java.util.Random random = new java.util.Random(7);
        int[] due = new int[n / 2];
        int k = 0;
        for (int i = n - 1; i >= 0; i -= 2) { // descending, and the earlier half moved in from a later window
            c.lower(i, random.nextInt(2) == 0 ? 1500 : 300);
            c.lower(i, 200 + random.nextInt(800));
            due[k++] = i;
        }
        Arrays.sort(due);
        assertArrayEquals(due, take(c, 5000));
    }

    @Test
    void anEventBeforeTheWindowsAlreadyTakenIsAKernelBug() {
        WindowCalendar c = new WindowCalendar(2, 10);
        c.lower(0, 500);
        take(c, 510);
        assertThrows(IllegalStateException.class, () -> c.lower(1, 20));
    }
}
