package org.meshemu.kernel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Runs an {@link Assembly} inside this JVM: one actor system, one {@link NodeSync} per partition of
 * the {@link Placement}, {@code threads} dispatcher threads. Results do not depend on either.
 */
public final class Engine {
    private Engine() {}

    /** Runs to completion (no events left) and returns the result; throws {@link EmulationException} if a component failed. */
    public static RunResult run(Assembly assembly, Placement placement, int threads, RunObserver observer) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        // Initialise logging before Pekko's threads log concurrently (SLF4J would replay and warn).
        org.slf4j.LoggerFactory.getLogger(Engine.class);
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        ActorSystem<WindowRoot.Command> system = ActorSystem.create(
                WindowRoot.create(assembly, placement, result, observer), "meshemu", config(threads));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulationException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new EmulationException(e.getCause().toString(), e.getCause());
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // terminating: nothing left to report
            }
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
