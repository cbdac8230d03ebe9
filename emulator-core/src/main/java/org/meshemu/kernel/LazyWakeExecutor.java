package org.meshemu.kernel;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * The kernel's dispatcher threads: a fixed pool that wakes a sleeping thread only when a task could
 * not otherwise start at once, that is when the task comes from outside the pool, or when a pool
 * thread queues a second task while its first still waits.
 *
 * <p>Why: most windows of a model run are sparse (a few components, a few events each), and a window
 * is two hand-offs, the partition's {@code Start} to its components and the last one's {@code
 * WindowDone} back. The fork-join pool wakes an idle thread for each of them, so a window paid two
 * thread wake-ups (tens of microseconds on a virtual machine) and ran its few events on a cold core.
 * Here the thread that queued a lone task runs it itself when it returns to the pool; a window with
 * many components still spreads over every thread (docs/PERFORMANCE.md has the figures).
 *
 * <p>A sleeping thread also wakes every {@link #PARK_NANOS} to look for work: a pool thread that
 * queued one task and then runs a long one delays it by at most that much, never for ever.
 */
public final class LazyWakeExecutor extends AbstractExecutorService {
    /** The longest a queued task waits for a busy pool (see the class comment). */
    static final long PARK_NANOS = 1_000_000L;
    private static final ThreadLocal<LazyWakeExecutor> POOL_OF_THREAD = new ThreadLocal<>();

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger(); // offered and not yet taken
    private final ConcurrentLinkedDeque<Thread> sleeping = new ConcurrentLinkedDeque<>();
    private final CountDownLatch exited;
    private volatile boolean shutdown;
    final java.util.concurrent.atomic.LongAdder wakes = new java.util.concurrent.atomic.LongAdder(); // sleeping threads woken by a task (tests)

    LazyWakeExecutor(int threads, ThreadFactory factory) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        exited = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) factory.newThread(this::work).start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException("the kernel's pool is shut down");
        tasks.offer(task);
        int waiting = queued.incrementAndGet();
        if (waiting > 1 || POOL_OF_THREAD.get() != this) wakeOne();
    }

    private void wakeOne() {
        Thread t = sleeping.pollFirst();
        if (t != null) {
            wakes.increment();
            LockSupport.unpark(t);
        }
    }

    private void work() {
        POOL_OF_THREAD.set(this);
        Thread self = Thread.currentThread();
        try {
            while (true) {
                Runnable task = tasks.poll();
                if (task != null) {
                    queued.decrementAndGet();
                    run(task);
                    continue;
                }
                if (shutdown) return;
                // Announce the sleep, then look once more: a task offered before the announcement is seen
                // here, one offered after it finds this thread to wake.
                sleeping.addFirst(self);
                if (!tasks.isEmpty() || shutdown) {
                    sleeping.remove(self);
                    continue;
                }
                LockSupport.parkNanos(this, PARK_NANOS);
                sleeping.remove(self);
            }
        } finally {
            exited.countDown();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) { // Pekko's mailboxes catch their actors' failures; anything else is reported, and the thread goes on
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Thread t : sleeping) LockSupport.unpark(t);
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> left = new ArrayList<>();
        for (Runnable r; (r = tasks.poll()) != null; ) left.add(r);
        return left;
    }

    @Override
    public boolean isShutdown() { return shutdown; }

    @Override
    public boolean isTerminated() { return exited.getCount() == 0; }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return exited.await(timeout, unit);
    }

    /**
     * Makes the pool for a Pekko dispatcher whose {@code executor} names this class's configurator;
     * the dispatcher's {@code lazy-wake-executor.threads} gives its size.
     */
    public static final class Configurator extends ExecutorServiceConfigurator {
        private final int threads;

        public Configurator(Config config, DispatcherPrerequisites prerequisites) {
            super(config, prerequisites);
            threads = config.getInt("lazy-wake-executor.threads");
        }

        @Override
        public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory factory) {
            return new ExecutorServiceFactory() {
                @Override
                public ExecutorService createExecutorService() { return new LazyWakeExecutor(threads, factory); }
            };
        }
    }
}
