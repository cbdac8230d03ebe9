package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A partition that waits for components nobody runs fails the run naming itself; a long event is not a stall. */
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
}
