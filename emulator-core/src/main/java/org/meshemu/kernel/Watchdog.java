package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Watches a run's partitions in this JVM from outside the actor threads. Each partition checks
 * itself for stalls ({@link NodeSync}), but that check is a message on the same threads as the run:
 * if they stop running the run's actors (a fault of the thread pool, as Java 25's once did,
 * docs/PERFORMANCE.md, "The threads' order of tasks"), it never fires and the run would wait for
 * ever. The watchdog fails the run instead when, for the stall timeout, no partition here has
 * handled a message ({@link Pulse}) and no thread runs any of the kernel's actors (a component
 * handling one long event, a block creating components, a partition or the root writing a
 * checkpoint are work, not a stall).
 *
 * <p>Where the JVM hosts only some of a run's partitions (a cluster node), its partitions may wait
 * that long for another node's without fault: there it also needs the pool itself to have stopped,
 * a task given to it not having run within a look's wait.
 */
final class Watchdog {
    private static final long CHECK_NANOS = 10_000_000_000L;
    /** Looks that must all find nothing at work before the run fails, and the wait between two: one look can fall between two actors. */
    private static final int LOOKS = 3;
    private static final long LOOK_APART_MILLIS = 200;
    /** The kernel's actors: a thread with one of them on its stack is doing the run's work. */
    private static final List<String> ACTORS = List.of(ComponentActor.class.getName(), ComponentActor.Actor.class.getName(),
            ComponentBlock.class.getName(), NodeSync.class.getName(), WindowRoot.class.getName());

    private final Pulse pulse;
    private final long stallNanos;
    private final long periodNanos;
    private final Executor pool; // the partitions' threads, where this JVM hosts only some partitions; null if all
    private long seen;
    private long quietSince;

    private Watchdog(Pulse pulse, long stallNanos, Executor pool) {
        this.pulse = pulse;
        this.stallNanos = stallNanos;
        this.periodNanos = Math.max(1_000_000L, Math.min(stallNanos / 4, CHECK_NANOS));
        this.pool = pool;
        this.seen = pulse.total();
        this.quietSince = System.nanoTime();
    }

    /**
     * Returns once {@code result} is complete, completing it with an {@link EmulationException} first
     * if the run stalls as above for {@code stallNanos} (0: never). The JVM hosts every partition.
     */
    static void watch(CompletableFuture<RunResult> result, Pulse pulse, long stallNanos) {
        Watchdog dog = new Watchdog(pulse, stallNanos, null);
        while (true) {
            try {
                if (stallNanos <= 0) {
                    result.get();
                } else {
                    result.get(dog.periodNanos, TimeUnit.NANOSECONDS);
                }
                return;
            } catch (TimeoutException e) {
                String stalled = dog.look();
                if (stalled != null) {
                    result.completeExceptionally(new EmulationException(stalled, null));
                    return;
                }
            } catch (ExecutionException | CancellationException e) {
                return; // failed: the caller reads why
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Watches the partitions this JVM hosts of a run driven from another (a cluster node), running
     * on {@code pool}, from a daemon thread of its own until closed; tells {@code onStall} why, once,
     * if they stall as above for {@code stallNanos} (0: never) while the pool runs no task.
     */
    static AutoCloseable inBackground(Pulse pulse, long stallNanos, Executor pool, Consumer<String> onStall) {
        if (stallNanos <= 0) return () -> { };
        Watchdog dog = new Watchdog(pulse, stallNanos, pool);
        Thread watcher = Thread.ofPlatform().daemon().name("meshemu-watchdog").start(() -> {
            try {
                while (true) {
                    TimeUnit.NANOSECONDS.sleep(dog.periodNanos);
                    String stalled = dog.look();
                    if (stalled != null) {
                        onStall.accept(stalled);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // closed: the run has ended here
            }
        });
        return watcher::interrupt;
    }

    /**
     * Looks once: why the run has stalled, or null. Two periods past the timeout, so that a
     * partition's own check, when its threads still run, fires first and says more.
     */
    private String look() {
        long beats = pulse.total();
        if (beats != seen) {
            seen = beats;
            quietSince = System.nanoTime();
            return null;
        }
        long quietNanos = System.nanoTime() - quietSince;
        if (quietNanos < stallNanos + 2 * periodNanos || !nothingAtWork()) return null;
        return stalled(System.nanoTime() - quietSince);
    }

    /**
     * Whether {@link #LOOKS} looks, apart, all find the pulse where it was, no thread running a
     * kernel actor and (where this JVM hosts only some partitions) a task given to the pool not run.
     */
    private boolean nothingAtWork() {
        // the wait between looks is a wait for the pool to run this task; with no pool given, a plain wait
        CountDownLatch ran = new CountDownLatch(1);
        if (pool != null) pool.execute(ran::countDown);
        for (int look = 0; look < LOOKS; look++) {
            try {
                if (look > 0 && ran.await(LOOK_APART_MILLIS, TimeUnit.MILLISECONDS)) return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller's next wait returns at once
                return false;
            }
            if (pulse.total() != seen || anyOtherThread(Watchdog::isKernelActor)) return false;
        }
        return true;
    }

    /** Whether a thread other than this one has a frame {@code frame} accepts (a thread dump: only when a stall is suspected). */
    static boolean anyOtherThread(Predicate<StackTraceElement> frame) {
        Thread self = Thread.currentThread();
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            if (t.getKey() == self) continue;
            for (StackTraceElement f : t.getValue()) if (frame.test(f)) return true;
        }
        return false;
    }

    private static boolean isKernelActor(StackTraceElement frame) {
        return ACTORS.contains(frame.getClassName());
    }

    /** The failure's message: how long, and where the actor threads are (their top frames). */
    private static String stalled(long quietNanos) {
        List<String> threads = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            if (!t.getKey().getName().contains("dispatcher")) continue;
            StackTraceElement[] stack = t.getValue();
            threads.add(t.getKey().getName() + " " + t.getKey().getState()
                    + (stack.length == 0 ? "" : " at " + stack[0]));
        }
        threads.sort(null);
        return "the run stopped: no partition has handled a message for " + quietNanos / 1_000_000_000L
                + " s and no thread runs a component, a partition or the root, so the actor runtime no longer runs"
                + " the run's actors (a fault of the runtime or the kernel, not of the scenario: please report it with"
                + " this message); its threads: " + (threads.isEmpty() ? "none" : String.join("; ", threads));
    }
}
