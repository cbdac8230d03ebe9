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
        private static final Ports<String> PORTS = new Ports<>(List.of(), List.of());

        @Override public Ports<String> ports() { return PORTS; }

        @Override public void start(Context<String> ctx) { ctx.schedule("tick", 1000); }

        @Override
        public void handle(String message, Context<String> ctx) {
            THREADS.add(Thread.currentThread().getName());
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
