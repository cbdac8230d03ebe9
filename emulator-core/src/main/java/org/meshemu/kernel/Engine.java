package org.meshemu.kernel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Runs an {@link Assembly} inside this JVM: one actor system, one {@link NodeSync} per partition of
 * the {@link Placement}, {@code threads} dispatcher threads. Results do not depend on either.
 */
public final class Engine {
    private static final long TERMINATION_AFTER_FAILURE_SECONDS = 10;

    private Engine() {}

    /** Runs to completion (no events left) and returns the result; throws {@link EmulationException} if a component failed. */
    public static RunResult run(Assembly assembly, Placement placement, int threads, RunObserver observer) {
        return run(assembly, placement, threads, observer, Checkpointing.NONE);
    }

    /** As {@link #run(Assembly, Placement, int, RunObserver)}, taking checkpoints or resuming from one as {@code checkpointing} says. */
    public static RunResult run(Assembly assembly, Placement placement, int threads, RunObserver observer,
                                Checkpointing checkpointing) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        // Initialise logging before Pekko's threads log concurrently (SLF4J would replay and warn).
        org.slf4j.LoggerFactory.getLogger(Engine.class);
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        try (HeapGuard guard = HeapGuard.watch(why -> result.completeExceptionally(
                new EmulationException("out of memory: " + why, new OutOfMemoryError(why))))) {
            ActorSystem<WindowRoot.Command> system = ActorSystem.create(
                    WindowRoot.create(assembly, placement, result, observer, checkpointing), "meshemu", config(threads));
            // A fatal error outside the actors' own handlers terminates the system (reference.conf keeps
            // the JVM alive); the run then fails instead of waiting for ever.
            system.getWhenTerminated().thenRun(() -> result.completeExceptionally(
                    new EmulationException("the actor system stopped before the run ended (a fatal error, reported above)", null)));
            boolean failed = true;
            try {
                RunResult r = await(result);
                failed = false;
                return r;
            } finally {
                system.terminate();
                try {
                    // after a failure (perhaps out of memory) the failure is what matters: do not wait long for the actors to stop
                    if (failed) system.getWhenTerminated().toCompletableFuture().get(TERMINATION_AFTER_FAILURE_SECONDS, TimeUnit.SECONDS);
                    else system.getWhenTerminated().toCompletableFuture().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException ignored) {
                    // terminating: nothing left to report
                }
            }
        }
    }

    /** Waits for a run's result (from a root here or in a cluster's launcher); its failure is thrown as a RuntimeException. */
    public static RunResult await(CompletableFuture<RunResult> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulationException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new EmulationException(e.getCause().toString(), e.getCause());
        }
    }

    /** The dispatcher sized to {@code threads} (benchmarks use it too); everything else comes from reference.conf. */
    public static Config config(int threads) {
        return ConfigFactory.parseString("""
                pekko.actor.default-dispatcher.fork-join-executor {
                  parallelism-min = %d
                  parallelism-max = %d
                  parallelism-factor = 1.0
                }
                """.formatted(threads, threads)).withFallback(ConfigFactory.load());
    }
}
