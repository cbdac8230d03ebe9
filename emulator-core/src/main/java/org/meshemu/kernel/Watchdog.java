package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Watches a run in this JVM from the thread that waits for its result, outside the actor threads.
 * Each partition checks itself for stalls ({@link NodeSync}), but that check is a message on the
 * same threads as the run: if they stop running the run's actors (a fault of the thread pool, as
 * Java 25's once did, docs/PERFORMANCE.md, "The threads' order of tasks"), it never fires and the
 * run would wait for ever. The watchdog fails the run instead when, for the stall timeout, no
 * partition has handled a message ({@link Pulse}) and no thread runs any of the kernel's actors (a
 * component handling one long event, a block creating components, a partition or the root writing
 * a checkpoint are work, not a stall).
 */
final class Watchdog {
    private static final long CHECK_NANOS = 10_000_000_000L;
    /** Looks that must all find nothing at work before the run fails, and the wait between two: one look can fall between two actors. */
    private static final int LOOKS = 3;
    private static final long LOOK_APART_MILLIS = 200;
    /** The kernel's actors: a thread with one of them on its stack is doing the run's work. */
    private static final List<String> ACTORS = List.of(ComponentActor.class.getName(), ComponentActor.Actor.class.getName(),
            ComponentBlock.class.getName(), NodeSync.class.getName(), WindowRoot.class.getName());

    private Watchdog() {}

    /**
     * Returns once {@code result} is complete, completing it with an {@link EmulationException} first
     * if the run stalls as above for {@code stallNanos} (0: never).
     */
    static void watch(CompletableFuture<RunResult> result, Pulse pulse, long stallNanos) {
        long periodNanos = Math.max(1_000_000L, Math.min(stallNanos / 4, CHECK_NANOS));
        long seen = pulse.total();
        long quietSince = System.nanoTime();
        while (true) {
            try {
                if (stallNanos <= 0) {
                    result.get();
                } else {
                    result.get(periodNanos, TimeUnit.NANOSECONDS);
                }
                return;
            } catch (TimeoutException e) {
                long beats = pulse.total();
                if (beats != seen) {
                    seen = beats;
                    quietSince = System.nanoTime();
                    continue;
                }
                // two periods past the timeout: a partition's own check, when its threads still run, fires
                // first and says more
                long quietNanos = System.nanoTime() - quietSince;
                if (quietNanos >= stallNanos + 2 * periodNanos && nothingAtWork(pulse, seen)) {
                    result.completeExceptionally(new EmulationException(stalled(System.nanoTime() - quietSince), null));
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

    /** Whether {@link #LOOKS} looks, apart, all find the pulse at {@code seen} and no thread running a kernel actor. */
    private static boolean nothingAtWork(Pulse pulse, long seen) {
        for (int look = 0; look < LOOKS; look++) {
            if (look > 0) {
                try {
                    Thread.sleep(LOOK_APART_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the caller's next wait returns at once
                    return false;
                }
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
