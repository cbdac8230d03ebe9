package org.meshemu.kernel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs an {@link Assembly} inside this JVM: one actor system, one {@link NodeSync} per partition of
 * the {@link Placement}, {@code threads} dispatcher threads. Results do not depend on either.
 *
 * <p>Creating the actor system (reading the configuration, loading Pekko's extensions) costs a
 * large part of a short run's process time, and needs nothing but the thread count, so
 * {@link #start} begins it on another thread while the caller plans and assembles the run, and
 * {@link #run} hands the started system the run's root.
 */
public final class Engine implements AutoCloseable {
    private static final long TERMINATION_AFTER_FAILURE_SECONDS = 10;

    /** What the guardian is told: spawn this run's root. */
    private record Begin(Behavior<WindowRoot.Command> root) {}

    /** An engine begun before the command line and the scenario were read ({@link #startEarly}), until a run takes it. */
    static final AtomicReference<Engine> EARLY = new AtomicReference<>();

    final int threads;
    private final CompletableFuture<ActorSystem<Begin>> system;
    private boolean used;
    /**
     * The process exits once this engine's run has ended (the command line's `run`): the run's
     * actors are left to that exit instead of being stopped one by one, which took the 256 x 256
     * GEMV's 457,728 of them over a second (docs/PERFORMANCE.md).
     */
    private final boolean leftToProcessExit;

    private Engine(int threads, boolean leftToProcessExit) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        // Initialise logging before Pekko's threads log concurrently (SLF4J would replay and warn).
        org.slf4j.LoggerFactory.getLogger(Engine.class);
        this.threads = threads;
        this.leftToProcessExit = leftToProcessExit;
        system = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("meshemu-start").start(() -> {
            try {
                // the loader hides the cluster's configuration: its serializers would cost a short run a tenth of its time
                ClassLoader loader = LocalClassLoader.INSTANCE;
                system.complete(ActorSystem.create(guardian(), "meshemu", ActorSystemSetup.create(
                        BootstrapSetup.create(config(threads, loader)).withClassloader(loader))));
            } catch (Throwable t) {
                system.completeExceptionally(t);
            }
        });
    }

    /**
     * Reads the actor system's configuration on another thread (it is cached), so that a run's
     * {@link #start} finds it read: for a short-lived process, called before anything else.
     */
    public static void preload() {
        Thread.ofPlatform().daemon().name("meshemu-preload").start(() -> ConfigFactory.load(LocalClassLoader.INSTANCE));
    }

    /**
     * Begins creating the actor system of a run in this JVM before anything else is read, for the
     * thread count a run takes unless told otherwise: for a short run it is most of the process
     * time the JVM can overlap. {@link #start} on as many threads takes it.
     */
    public static void startEarly(int threads) {
        startEarly(threads, false);
    }

    /**
     * As {@link #startEarly(int)}, for a process that exits once this engine's one run has ended if
     * {@code leftToProcessExit}: the run's actors are then not stopped when it ends, the process's
     * exit ends them (a failed run still stops them).
     */
    public static void startEarly(int threads, boolean leftToProcessExit) {
        Engine previous = EARLY.getAndSet(new Engine(threads, leftToProcessExit));
        if (previous != null) previous.close();
    }

    /** Drops an engine begun by {@link #startEarly} that no run will take (the run goes to a cluster). */
    public static void cancelEarly() {
        Engine early = EARLY.getAndSet(null);
        if (early != null) early.close();
    }

    /** Begins creating the actor system for one run on {@code threads} threads (or takes the one begun early); {@link #close} it if it is never run. */
    public static Engine start(int threads) {
        Engine early = EARLY.getAndSet(null);
        if (early != null && early.threads == threads) return early;
        if (early != null) early.close();
        return new Engine(threads, false);
    }

    /** Runs to completion (no events left) and returns the result; throws {@link EmulationException} if a component failed. */
    public static RunResult run(Assembly assembly, Placement placement, int threads, RunObserver observer) {
        return run(assembly, placement, threads, observer, Checkpointing.NONE);
    }

    /** As {@link #run(Assembly, Placement, int, RunObserver)}, taking checkpoints or resuming from one as {@code checkpointing} says. */
    public static RunResult run(Assembly assembly, Placement placement, int threads, RunObserver observer,
                                Checkpointing checkpointing) {
        try (Engine engine = start(threads)) {
            return engine.run(assembly, placement, observer, checkpointing);
        }
    }

    /** The configuration path of the dispatcher a run on one of several threads uses (reference.conf). */
    static final String ONE_THREAD_DISPATCHER = "meshemu.kernel.one-thread-dispatcher";

    /** Runs on this engine's actor system (once), on all its threads, then terminates it. */
    public RunResult run(Assembly assembly, Placement placement, RunObserver observer, Checkpointing checkpointing) {
        return run(assembly, placement, observer, checkpointing, threads);
    }

    /**
     * As {@link #run(Assembly, Placement, RunObserver, Checkpointing)} on {@code runThreads} of the
     * engine's threads: all of them, or one ({@link Placement#threadsFor}), on a dispatcher of its own
     * in the same actor system, so that a small run needs no second actor system.
     */
    public RunResult run(Assembly assembly, Placement placement, RunObserver observer, Checkpointing checkpointing, int runThreads) {
        if (runThreads != threads && runThreads != 1) {
            throw new IllegalArgumentException("a run uses all " + threads + " threads of its engine or one, not " + runThreads);
        }
        String dispatcher = runThreads < threads ? ONE_THREAD_DISPATCHER : org.apache.pekko.dispatch.Dispatchers.DefaultDispatcherId();
        if (used) throw new IllegalStateException("an engine runs once");
        used = true;
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        try (HeapGuard guard = HeapGuard.watch(why -> result.completeExceptionally(
                new EmulationException("out of memory: " + why, new OutOfMemoryError(why))))) {
            ActorSystem<Begin> started = system.join();
            // A fatal error outside the actors' own handlers terminates the system (reference.conf keeps
            // the JVM alive); the run then fails instead of waiting for ever.
            started.getWhenTerminated().thenRun(() -> result.completeExceptionally(
                    new EmulationException("the actor system stopped before the run ended (a fatal error, reported above)", null)));
            Pulse pulse = new Pulse(placement.partitions());
            started.tell(new Begin(WindowRoot.create(assembly, placement, result, observer, checkpointing, dispatcher,
                    !leftToProcessExit, pulse)));
            boolean failed = true;
            try {
                Watchdog.watch(result, pulse, NodeSync.stallNanos(started));
                RunResult r = await(result);
                failed = false;
                return r;
            } finally {
                if (failed || !leftToProcessExit) terminate(started, failed); // else the process's exit ends the actors
            }
        }
    }

    /** Stops every actor of {@code started} and waits for it; after a failure, not for long. */
    private static void terminate(ActorSystem<?> started, boolean failed) {
        started.terminate();
        try {
            // after a failure (perhaps out of memory) the failure is what matters: do not wait long for the actors to stop
            if (failed) started.getWhenTerminated().toCompletableFuture().get(TERMINATION_AFTER_FAILURE_SECONDS, TimeUnit.SECONDS);
            else started.getWhenTerminated().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // terminating: nothing left to report
        }
    }

    /** This engine's actor system, once created (tests look at whether a run left it running). */
    ActorSystem<?> actorSystem() { return system.join(); }

    /** Terminates the actor system if it was never run (a run that failed before it started). */
    @Override
    public void close() {
        if (!used) system.thenAccept(ActorSystem::terminate);
    }

    /** Spawns the run's root when told, and stops (terminating the system) when the root stops, as the root ended or failed. */
    private static Behavior<Begin> guardian() {
        return Behaviors.setup(ctx -> Behaviors.receive(Begin.class)
                .onMessage(Begin.class, begin -> {
                    ctx.watch(ctx.spawn(begin.root(), "root"));
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> Behaviors.stopped())
                .build());
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

    /**
     * The dispatchers sized to {@code threads} (benchmarks and the cluster's nodes use it too), each
     * thread taking its own newest task first, each mailbox handling up to 64 messages before its
     * thread moves on (Pekko's default is 5: a partition's NodeSync receives an epoch's batches from
     * every other partition at once); everything else comes from reference.conf.
     *
     * <p>Newest first (LIFO): with Pekko's default, oldest first, Java 25's ForkJoinPool left a thread
     * spinning for ever about once in 1,800 short runs, in {@code nextLocalTask}, waiting for another
     * thread to move its queue's base past an empty slot while the other thread was idle; the test
     * suite hung in CI. LIFO never takes that path, and a component a window started runs next on the
     * core that told it, its lines still in that core's caches (docs/PERFORMANCE.md, "The threads'
     * order of tasks"). The kernel's results never depend on the order the threads run actors in.
     * Set here rather than in reference.conf, where Pekko's own (FIFO) would win if its jar came
     * first on the class path; both dispatchers, as the one-thread one's copy of the default is
     * resolved by then from the default's values. System properties still override them (the
     * benchmarks compare the two orders).
     */
    public static Config config(int threads) {
        return config(threads, Engine.class.getClassLoader());
    }

    /** As {@link #config(int)}, with the reference configuration {@code loader} finds. */
    private static Config config(int threads, ClassLoader loader) {
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseString("""
                pekko.actor.default-dispatcher.fork-join-executor {
                  parallelism-min = %d
                  parallelism-max = %d
                  parallelism-factor = 1.0
                  task-peeking-mode = "LIFO"
                }
                pekko.actor.default-dispatcher.throughput = 64
                %3$s.fork-join-executor.task-peeking-mode = "LIFO"
                %3$s.throughput = 64
                """.formatted(threads, threads, ONE_THREAD_DISPATCHER))).withFallback(ConfigFactory.load(loader));
    }
}
