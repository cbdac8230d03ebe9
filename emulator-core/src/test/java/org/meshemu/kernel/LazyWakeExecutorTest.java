package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyWakeExecutorTest {

    @Test
    void runsEveryTaskFromOutsideAndFromItsOwnThreads() throws InterruptedException {
        LazyWakeExecutor pool = new LazyWakeExecutor(2, Executors.defaultThreadFactory());
        AtomicInteger ran = new AtomicInteger();
        int outside = 20_000, fanOut = 3;
        CountDownLatch all = new CountDownLatch(outside * (1 + fanOut));
        for (int i = 0; i < outside; i++) {
            pool.execute(() -> {
                ran.incrementAndGet();
                all.countDown();
                for (int k = 0; k < fanOut; k++) pool.execute(() -> { ran.incrementAndGet(); all.countDown(); });
            });
        }
        assertTrue(all.await(30, TimeUnit.SECONDS), "tasks left: " + all.getCount());
        assertEquals(outside * (1 + fanOut), ran.get());
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aChainOfLoneTasksStaysOnOneThread() throws InterruptedException {
        // a sparse window: each task queues one successor and returns, so nobody needs waking
        LazyWakeExecutor pool = new LazyWakeExecutor(2, Executors.defaultThreadFactory());
        CountDownLatch done = new CountDownLatch(1);
        int length = 1_000;
        class Link implements Runnable {
            final int left;
            Link(int left) { this.left = left; }
            @Override public void run() {
                long until = System.nanoTime() + 20_000; // a few events' work, long enough for an idle thread to fall asleep
                while (System.nanoTime() < until) Thread.onSpinWait();
                if (left == 0) done.countDown();
                else pool.execute(new Link(left - 1));
            }
        }
        pool.execute(new Link(length));
        assertTrue(done.await(30, TimeUnit.SECONDS));
        // the first task, from outside, wakes a thread; the links, each queued alone by a pool thread, wake none
        assertTrue(pool.wakes.sum() <= 1, "the chain woke a sleeping thread " + pool.wakes.sum() + " times in " + length + " links");
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aLoneTaskQueuedBeforeALongOneStillRunsSoon() throws InterruptedException {
        LazyWakeExecutor pool = new LazyWakeExecutor(2, Executors.defaultThreadFactory());
        CountDownLatch follower = new CountDownLatch(1);
        AtomicInteger waitedFor = new AtomicInteger(-1);
        pool.execute(() -> {
            pool.execute(follower::countDown); // queued by a pool thread: nobody is woken for it
            try { // then this thread stays busy until the follower has run: only the other thread can run it
                waitedFor.set(follower.await(10, TimeUnit.SECONDS) ? 1 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(follower.await(15, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(pool.awaitTermination(15, TimeUnit.SECONDS));
        assertEquals(1, waitedFor.get(), "the sleeping thread never took the queued task");
    }

    @Test
    void shutdownRunsWhatWasQueuedAndStops() throws InterruptedException {
        LazyWakeExecutor pool = new LazyWakeExecutor(1, Executors.defaultThreadFactory());
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            try { gate.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        });
        for (int i = 0; i < 100; i++) pool.execute(ran::incrementAndGet);
        pool.shutdown();
        gate.countDown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(100, ran.get());
        assertTrue(pool.isTerminated());
    }
}
