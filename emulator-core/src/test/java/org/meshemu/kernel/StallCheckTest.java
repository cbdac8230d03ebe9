package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partition that waits for components nobody runs fails the run naming itself; so does a run whose
 * threads no longer run its actors at all (the watchdog outside them); a long event is not a stall.
 */
class StallCheckTest {

    @BeforeEach
    void shortTimeout() {
        System.setProperty(NodeSync.STALL_TIMEOUT, "1s");
        ConfigFactory.invalidateCaches();
    }

    @AfterEach
    void defaultTimeout() {
        System.clearProperty(NodeSync.STALL_TIMEOUT);
        ConfigFactory.invalidateCaches();
    }

    /** A component that does {@code onEvent} with each of its three events, 1 ns apart. */
    private static Assembly three(String label, BiConsumer<Integer, Context<Object>> onEvent) {
        Assembly.Builder b = Assembly.builder(1);
        Component<Object> c = new Component<>() {
            int seen;
            @Override public Ports<Object> ports() { return new Ports<>(List.of(), List.of()); }
            @Override public void start(Context<Object> ctx) { ctx.schedule("tick", 1000); }
            @Override public void handle(Object m, Context<Object> ctx) {
                onEvent.accept(++seen, ctx);
                if (seen < 3) ctx.schedule("tick", 1000);
            }
            @Override public ComponentReport report(long endPs) { return ComponentReport.of("ticker", 0, Map.of("seen", (long) seen), Map.of()); }
        };
        b.add("ticker", label, 0, c.ports(), () -> c);
        return b.build();
    }

    @Test
    void aWindowWhoseCountNeverReachesZeroFailsTheRunNamingThePartition() {
        // the second event takes one more finish than it gives: the window then waits for a component that already finished
        Assembly a = three("ticker", (seen, ctx) -> {
            if (seen == 2) ((ComponentActor<?>) ctx).partition.running.incrementAndGet();
        });
        EmulationException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(EmulationException.class, () -> Engine.run(a, Placement.single(1), 2, RunObserver.NONE)));
        assertTrue(e.getMessage().contains("partition 0 stalled"), e.getMessage());
        assertTrue(e.getMessage().contains("waits for 1 of 1 started components; never run: none"), e.getMessage());
    }

    @Test
    void aComponentBusyWithOneLongEventIsNotAStall() {
        Assembly a = three("sleeper", (seen, ctx) -> {
            if (seen == 2) {
                try {
                    Thread.sleep(3_000); // three stall timeouts inside one event
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RunResult r = Engine.run(a, Placement.single(1), 2, RunObserver.NONE);
        assertEquals(3, r.reports().getFirst().counters().get("seen"));
    }

    /** Holds a thread of {@code engine}'s pool with a task that is none of a run's, until {@code release} or {@code seconds}. */
    private static void hold(Engine engine, CountDownLatch release, int seconds) {
        engine.actorSystem().executionContext().execute(() -> {
            try {
                release.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aRunWhoseThreadsNoLongerRunItsActorsFailsNamingThem() {
        Assembly a = three("ticker", (seen, ctx) -> { });
        CountDownLatch release = new CountDownLatch(1);
        try (Engine engine = Engine.start(1)) {
            // the engine's one thread is held by a task that is none of the run's, as a wedged pool holds it: nothing
            // of the run can run, not even the partitions' own stall checks; it lets go after 8 s, so the run's actors
            // can then be stopped (the watchdog fires after the 1 s timeout, two 0.25 s checks and three looks)
            hold(engine, release, 8);
            EmulationException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(EmulationException.class,
                    () -> engine.run(a, Placement.single(1), RunObserver.NONE, Checkpointing.NONE)));
            assertTrue(e.getMessage().matches("the run stopped: no partition has handled a message for \\d+ s and no thread runs .*"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("dispatcher-") && e.getMessage().contains(" at "), "names the threads and where they are: " + e.getMessage());
        } finally {
            release.countDown();
        }
    }

    /**
     * A node of a cluster hosts some partitions of a run whose root is elsewhere: its watchdog tells when the node's
     * threads run no task at all (they are held, as a wedged pool holds them), and stays quiet while the node's
     * partitions merely wait (for another node's, here for nothing), however long.
     */
    @Test
    void aNodesWatchdogTellsWhenItsThreadsStopButNotWhileItsPartitionsWait() throws Exception {
        PartitionHost host = new PartitionHost(three("ticker", (seen, ctx) -> { }), Placement.single(1), Checkpointing.NONE);
        try (Engine engine = Engine.start(1)) {
            java.util.concurrent.CompletableFuture<String> told = new java.util.concurrent.CompletableFuture<>();
            try (AutoCloseable watching = host.watch(engine.actorSystem(), told::complete)) {
                // the 1 s timeout, two 0.25 s checks and three looks: quiet partitions on threads that run tasks would have been told by now
                Thread.sleep(4_000);
                assertTrue(!told.isDone(), "quiet partitions on working threads are no stall: " + told.getNow(null));
                CountDownLatch release = new CountDownLatch(1);
                try {
                    hold(engine, release, 30);
                    String why = told.get(20, TimeUnit.SECONDS);
                    assertTrue(why.matches("the run stopped: no partition has handled a message for \\d+ s and no thread runs .*"), why);
                    assertTrue(why.contains("dispatcher-") && why.contains(" at "), "names the threads and where they are: " + why);
                } finally {
                    release.countDown();
                }
            }
        }
    }
}
