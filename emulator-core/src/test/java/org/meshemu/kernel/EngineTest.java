package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine begun early by the command line serves a run on its thread count only, and runs it as a fresh one would. */
class EngineTest {

    @AfterEach
    void dropEarly() {
        Engine.cancelEarly();
    }

    @Test
    void aRunOnTheEarlyThreadCountTakesTheEarlyEngineAndEndsAsAFreshOne() {
        Assembly a = SynchronisationTest.torus();
        RunResult fresh = Engine.run(a, Placement.single(a.size()), 2, RunObserver.NONE);

        Engine.startEarly(2);
        Engine early = Engine.EARLY.get();
        try (Engine taken = Engine.start(2)) {
            assertSame(early, taken);
            CheckpointTest.assertSameRun(fresh, taken.run(a, Placement.single(a.size()), RunObserver.NONE, Checkpointing.NONE), "early engine");
        }
        assertNull(Engine.EARLY.get(), "taken once");
    }

    /** Records the threads it runs on: a self-clocked component with no ports. */
    private static final class ThreadRecorder implements Component<String> {
        static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
        /** Whether each pool it ran in takes a thread's oldest task first (ForkJoinPool's async mode), by thread. */
        static final Map<String, Boolean> OLDEST_FIRST = new ConcurrentHashMap<>();
        private static final Ports<String> PORTS = new Ports<>(List.of(), List.of());

        @Override public Ports<String> ports() { return PORTS; }

        @Override public void start(Context<String> ctx) { ctx.schedule("tick", 1000); }

        @Override
        public void handle(String message, Context<String> ctx) {
            THREADS.add(Thread.currentThread().getName());
            java.util.concurrent.ForkJoinPool pool = java.util.concurrent.ForkJoinTask.getPool();
            if (pool != null) OLDEST_FIRST.put(Thread.currentThread().getName(), pool.getAsyncMode());
            if (ctx.now() < 20_000) ctx.schedule("tick", 1000);
        }

        @Override public ComponentReport report(long endPs) { return ComponentReport.of("recorder", 0, Map.of(), Map.of()); }
    }

    @Test
    void aRunOnOneOfTheEnginesThreadsRunsOnTheOneThreadDispatcherAndEndsAsOnAll() {
        Assembly a = SynchronisationTest.torus();
        RunResult all = Engine.run(a, Placement.single(a.size()), 2, RunObserver.NONE);
        Set<String> syncThreads = ConcurrentHashMap.newKeySet();
        RunObserver names = new RunObserver() {
            @Override public void windowDone(long windows, long simulatedPs, long events) {}
            @Override public void atBarrier(ComponentProbe probe) { syncThreads.add(Thread.currentThread().getName()); }
        };
        try (Engine engine = Engine.start(2)) {
            CheckpointTest.assertSameRun(all, engine.run(a, Placement.single(a.size()), names, Checkpointing.NONE, 1), "one of two threads");
        }
        assertFalse(syncThreads.isEmpty());
        assertTrue(syncThreads.stream().allMatch(t -> t.contains(Engine.ONE_THREAD_DISPATCHER)), syncThreads.toString());

        Assembly.Builder b = Assembly.builder(1);
        for (int i = 0; i < 8; i++) b.add("recorder", "recorder" + i, i, ThreadRecorder.PORTS, ThreadRecorder::new);
        Assembly recorders = b.build();
        ThreadRecorder.THREADS.clear();
        try (Engine engine = Engine.start(2)) {
            engine.run(recorders, Placement.single(recorders.size()), RunObserver.NONE, Checkpointing.NONE, 1);
        }
        assertFalse(ThreadRecorder.THREADS.isEmpty());
        assertTrue(ThreadRecorder.THREADS.stream().allMatch(t -> t.contains(Engine.ONE_THREAD_DISPATCHER)), ThreadRecorder.THREADS.toString());

        try (Engine engine = Engine.start(2)) {
            assertThrows(IllegalArgumentException.class, () -> engine.run(a, Placement.single(a.size()), RunObserver.NONE, Checkpointing.NONE, 3));
        }
    }

    /**
     * The engine's threads take their own newest task first, on all threads and on one: in the
     * other mode a Java 25 ForkJoinPool left a thread spinning for ever, about once in 1,800 short
     * runs (Engine.config says why), and the test suite hung.
     */
    @Test
    void theEnginesThreadsTakeTheirNewestTaskFirst() {
        Assembly.Builder b = Assembly.builder(1);
        for (int i = 0; i < 8; i++) b.add("recorder", "recorder" + i, i, ThreadRecorder.PORTS, ThreadRecorder::new);
        Assembly recorders = b.build();
        for (int runThreads : new int[] {2, 1}) {
            ThreadRecorder.OLDEST_FIRST.clear();
            try (Engine engine = Engine.start(2)) {
                engine.run(recorders, Placement.single(recorders.size()), RunObserver.NONE, Checkpointing.NONE, runThreads);
            }
            assertFalse(ThreadRecorder.OLDEST_FIRST.isEmpty(), "the components ran on a fork-join pool");
            assertEquals(Set.of(false), Set.copyOf(ThreadRecorder.OLDEST_FIRST.values()), runThreads + " threads: " + ThreadRecorder.OLDEST_FIRST);
        }
    }

    @Test
    void bothDispatchersHandleUpTo64MessagesAMailboxWhateverTheClassPathOrder() {
        com.typesafe.config.Config config = Engine.config(2);
        assertEquals(64, config.getInt("pekko.actor.default-dispatcher.throughput"));
        assertEquals(64, config.getInt(Engine.ONE_THREAD_DISPATCHER + ".throughput"));
        assertEquals(1, config.getInt(Engine.ONE_THREAD_DISPATCHER + ".fork-join-executor.parallelism-max"));
    }

    /** The exploding component of {@link #aFailedRunStopsItsActorsEvenWhenLeftToTheProcessExit}: fails at its first event. */
    private static final class Failing implements Component<String> {
        @Override public Ports<String> ports() { return ThreadRecorder.PORTS; }

        @Override public void start(Context<String> ctx) { ctx.schedule("boom", 1000); }

        @Override public void handle(String message, Context<String> ctx) { throw new IllegalStateException("boom"); }

        @Override public ComponentReport report(long endPs) { return ComponentReport.of("failing", 0, Map.of(), Map.of()); }
    }

    @Test
    void aRunLeftToTheProcessExitKeepsItsActorsAndEndsAsOneThatStopsThem() throws Exception {
        Assembly a = SynchronisationTest.torus();
        RunResult stopped;
        Engine.startEarly(2, false);
        try (Engine engine = Engine.start(2)) {
            stopped = engine.run(a, Placement.single(a.size()), RunObserver.NONE, Checkpointing.NONE);
            assertTrue(engine.actorSystem().whenTerminated().isCompleted(), "a run stops its actors");
        }
        Engine.startEarly(2, true);
        try (Engine engine = Engine.start(2)) {
            CheckpointTest.assertSameRun(stopped, engine.run(a, Placement.single(a.size()), RunObserver.NONE, Checkpointing.NONE),
                    "left to the process exit");
            Thread.sleep(200); // a stop would have begun at once: the root stops as the result completes
            assertFalse(engine.actorSystem().whenTerminated().isCompleted(), "the actors are left to the process's exit");
            engine.actorSystem().terminate(); // this JVM goes on: the test ends them
        }
    }

    @Test
    void aFailedRunStopsItsActorsEvenWhenLeftToTheProcessExit() {
        Assembly.Builder b = Assembly.builder(1);
        b.add("failing", "failing", 0, ThreadRecorder.PORTS, Failing::new);
        Assembly failing = b.build();
        Engine.startEarly(2, true);
        try (Engine engine = Engine.start(2)) {
            assertThrows(EmulationException.class, () -> engine.run(failing, Placement.single(1), RunObserver.NONE, Checkpointing.NONE));
            assertTrue(engine.actorSystem().whenTerminated().isCompleted(), "a failed run's process may go on (the command line reports it)");
        }
    }

    @Test
    void aRunOnOtherThreadsGetsItsOwnEngine() {
        Engine.startEarly(2);
        Engine early = Engine.EARLY.get();
        try (Engine taken = Engine.start(1)) {
            assertNotSame(early, taken);
            assertEquals(1, taken.threads);
        }
        assertNull(Engine.EARLY.get(), "the early engine is dropped");
    }
}
