package org.meshemu.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

/** The passes over a finished run: side by side, their failures as thrown, none left running. */
class PassesTest {
    @Test
    void passesRunSideBySideAndOneMayWaitForAnother() {
        CountDownLatch both = new CountDownLatch(2);
        try (Passes passes = new Passes()) {
            // each waits until the other has begun: one after the other, they would never finish
            var first = passes.start(() -> { both.countDown(); return both.await(10, TimeUnit.SECONDS); });
            var second = passes.start(() -> { both.countDown(); return both.await(10, TimeUnit.SECONDS); });
            var sum = passes.start(() -> (first.join() ? 1 : 0) + (second.join() ? 1 : 0));
            assertEquals(2, sum.join());
        }
    }

    @Test
    void aPassThrowsWhatItThrewAtItsJoin() {
        InputException bad = new InputException("workload.rows", 0, "at least 1");
        OutOfMemoryError full = new OutOfMemoryError("Java heap space");
        try (Passes passes = new Passes()) {
            var input = passes.start(() -> { throw bad; });
            var memory = passes.run(() -> { throw full; });
            assertSame(bad, assertThrows(InputException.class, input::join));
            assertSame(full, assertThrows(OutOfMemoryError.class, memory::join));
        }
    }

    @Test
    void closingWaitsForEveryPass() {
        AtomicBoolean written = new AtomicBoolean();
        try (Passes passes = new Passes()) {
            passes.run(() -> writeSlowly(written));
        }
        assertTrue(written.get());
    }

    @Test
    void anInterruptNeitherStopsAPassNorItsWaitAndIsKept() {
        AtomicBoolean written = new AtomicBoolean();
        try (Passes passes = new Passes()) {
            var slow = passes.start(() -> { Thread.sleep(100); return 7; });
            passes.run(() -> writeSlowly(written));
            Thread.currentThread().interrupt();
            assertEquals(7, slow.join());
            assertTrue(Thread.currentThread().isInterrupted());
        } // closed while interrupted: the writer must still finish
        assertTrue(Thread.interrupted()); // kept for the caller (and cleared for the next test)
        assertTrue(written.get());
    }

    /** Sets {@code written} after 200 ms, unless interrupted first. */
    private static void writeSlowly(AtomicBoolean written) {
        try {
            Thread.sleep(200);
            written.set(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
