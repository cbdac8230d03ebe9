package org.meshemu.tests.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/**
 * The kernel's benchmark probes, run by {@code bench/kernel.sh}; each prints one JSON object.
 * <ul>
 *   <li>{@code scenario FILE [path=value ...]}: runs a scenario and prints its host figures, with
 *       the live heap per component measured after a full GC once every component is started. The
 *       partitions' windows have begun by then, and the collections stop them: {@code wallSeconds}
 *       is the run's wall time less that measurement's, and {@code peakHeapBytes} the report's peak
 *       heap; {@code earlierRunsInJvm} is 0;</li>
 *   <li>{@code warm N FILE [path=value ...]}: the same in a JVM that has run the scenario N times
 *       before (a full GC after each), as a sweep worker's later points run: the JIT has compiled
 *       the run's paths and the heap's pages have been touched;</li>
 *   <li>{@code plain-actors N SECONDS THREADS}: the substrate baseline: N plain Pekko typed actors
 *       on a torus, one message in flight per actor, each passed on to a random neighbour with no
 *       time synchronisation, on the same dispatcher settings as a run;</li>
 *   <li>{@code plain-spawn N THREADS}: the start-up baseline: N empty Pekko typed actors spawned
 *       under parents of 256 children each, as the kernel's blocks do, timed from the actor
 *       system's creation until every parent has spawned its children;</li>
 *   <li>{@code memory-latency}: the machine's state: nanoseconds a load takes when each load's
 *       address comes from the one before (a random cycle through an int array), over 256 KiB (a
 *       core's caches), 8 MiB (a component's kernel objects in a window of thousands) and 256 MiB
 *       (a wafer's components). The kernel's runs miss the caches on nearly every component they
 *       start, so their figures follow the last two, which a virtual machine's neighbours can
 *       change (docs/PERFORMANCE.md, "The machine's memory latency").</li>
 * </ul>
 * Benchmark code only: nothing on the product's path uses it.
 */
public final class KernelBench {
    private KernelBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "scenario" -> scenario(Path.of(args[1]), List.of(Arrays.copyOfRange(args, 2, args.length)), 0);
            case "warm" -> scenario(Path.of(args[2]), List.of(Arrays.copyOfRange(args, 3, args.length)), Integer.parseInt(args[1]));
            case "plain-actors" -> plainActors(Integer.parseInt(args[1]), Double.parseDouble(args[2]), Integer.parseInt(args[3]));
            case "plain-spawn" -> plainSpawn(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "memory-latency" -> memoryLatency();
            default -> throw new IllegalArgumentException("scenario | warm | plain-actors | plain-spawn | memory-latency, got " + args[0]);
        }
        System.exit(0);
    }

    static void scenario(Path file, List<String> overrides, int earlierRuns) {
        LoadedScenario loaded = ScenarioLoader.load(file, overrides);
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "meshemu-bench", loaded.scenario().name());
        for (int i = 0; i < earlierRuns; i++) {
            Runner.run(loaded, out, RunObserver.NONE);
            System.gc();
        }
        long[] live = {0, 0, 0}; // bytes, components, nanoseconds spent measuring
        RunObserver measure = new RunObserver() {
            @Override public void windowDone(long windows, long simulatedPs, long events) {}

            @Override public void started(int components, long startupNanos) {
                long began = System.nanoTime();
                live[0] = liveHeapBytes();
                live[1] = components;
                live[2] = System.nanoTime() - began;
            }
        };
        RunReport r = Runner.run(loaded, out, measure).report();
        double wall = r.wallSeconds() - live[2] / 1e9;
        System.out.printf(Locale.ROOT, "{\"scenario\": \"%s\", \"components\": %d, \"events\": %d, \"windows\": %d, \"epochs\": %d,"
                        + " \"partitions\": %d, \"threads\": %d, \"wallSeconds\": %.3f, \"eventsPerSecond\": %.0f,"
                        + " \"startupSeconds\": %.3f, \"startupMicrosPerComponent\": %.3f, \"liveBytesPerComponent\": %.0f,"
                        + " \"microsPerWindow\": %.3f, \"peakHeapBytes\": %d, \"simulatedTimePs\": %d, \"earlierRunsInJvm\": %d}%n",
                r.scenario(), live[1], r.events(), r.windows(), r.epochs(), r.partitions(), r.threads(), wall,
                r.events() / wall, r.startupSeconds(), 1e6 * r.startupSeconds() / live[1], (double) live[0] / live[1],
                1e6 * wall / Math.max(1, r.windows()), r.peakHeapBytes(), r.simulatedTimePs(), earlierRuns);
    }

    /** Heap in use after a full collection: the live set. */
    static long liveHeapBytes() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    // ---- the plain-actor baseline ----

    record Token(int hops) {}

    static void plainActors(int n, double seconds, int threads) throws Exception {
        int side = (int) Math.ceil(Math.sqrt(n));
        LongAdder handled = new LongAdder();
        @SuppressWarnings("unchecked") ActorRef<Object>[] refs = new ActorRef[n];
        CompletableFuture<Void> spawned = new CompletableFuture<>();
        Behavior<Object> guardian = Behaviors.setup(ctx -> {
            for (int i = 0; i < n; i++) refs[i] = ctx.spawn(node(i, side, n, refs, handled), "a" + i);
            spawned.complete(null);
            return Behaviors.empty();
        });
        ActorSystem<Object> system = ActorSystem.create(guardian, "baseline", org.meshemu.kernel.Engine.config(threads));
        spawned.get(1, TimeUnit.MINUTES);
        for (ActorRef<Object> r : refs) r.tell(TOKEN);
        Thread.sleep(1000); // warm-up
        long before = handled.sum();
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long count = handled.sum() - before;
        double wall = (System.nanoTime() - start) / 1e9;
        system.terminate();
        System.out.printf(Locale.ROOT, "{\"baseline\": \"plain-actors\", \"actors\": %d, \"messages\": %d, \"threads\": %d,"
                + " \"wallSeconds\": %.3f, \"messagesPerSecond\": %.0f}%n", n, count, threads, wall, count / wall);
    }

    private static final Object TOKEN = new Token(0);

    static void plainSpawn(int n, int threads) throws Exception {
        int perParent = 256;
        int parents = (n + perParent - 1) / perParent;
        java.util.concurrent.CountDownLatch spawned = new java.util.concurrent.CountDownLatch(parents);
        Behavior<Object> guardian = Behaviors.setup(ctx -> {
            for (int p = 0; p < parents; p++) {
                int count = Math.min(perParent, n - p * perParent);
                ctx.spawn(Behaviors.<Object>setup(pc -> {
                    for (int i = 0; i < count; i++) pc.spawn(Behaviors.receiveMessage(m -> Behaviors.same()), "c" + i);
                    spawned.countDown();
                    return Behaviors.empty();
                }), "block-" + p);
            }
            return Behaviors.empty();
        });
        long start = System.nanoTime();
        ActorSystem<Object> system = ActorSystem.create(guardian, "spawn", org.meshemu.kernel.Engine.config(threads));
        spawned.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        system.terminate();
        System.out.printf(Locale.ROOT, "{\"baseline\": \"plain-spawn\", \"actors\": %d, \"threads\": %d, \"wallSeconds\": %.3f,"
                + " \"microsPerActor\": %.3f}%n", n, threads, seconds, 1e6 * seconds / n);
    }

    static void memoryLatency() {
        StringBuilder json = new StringBuilder("{\"baseline\": \"memory-latency\"");
        for (int kib : new int[] {256, 8 << 10, 256 << 10}) {
            int n = kib * 256; // ints
            // one random cycle through every slot (Sattolo's shuffle), so the prefetcher cannot guess the next address
            int[] next = new int[n];
            for (int i = 0; i < n; i++) next[i] = i;
            SplittableRandom random = new SplittableRandom(1);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i);
                int t = next[i];
                next[i] = next[j];
                next[j] = t;
            }
            int sink = chase(next, Math.max(n, 2_000_000)); // every page touched, the loop compiled
            long loads = 10_000_000;
            long start = System.nanoTime();
            sink += chase(next, loads);
            double ns = (System.nanoTime() - start) / (double) loads;
            json.append(String.format(Locale.ROOT, ", \"ns%s\": %.1f", kib < 1024 ? kib + "KiB" : (kib >> 10) + "MiB", ns + (sink == -1 ? 1 : 0)));
        }
        System.out.println(json.append('}'));
    }

    /** Follows {@code next} from slot 0 for {@code loads} loads; returns where it ended (so the loads are made). */
    private static int chase(int[] next, long loads) {
        int at = 0;
        for (long i = 0; i < loads; i++) at = next[at];
        return at;
    }

    private static Behavior<Object> node(int i, int side, int n, ActorRef<Object>[] refs, LongAdder handled) {
        SplittableRandom random = new SplittableRandom(i);
        int x = i % side, y = i / side;
        int[] to = {y * side + (x + 1) % side, y * side + (x + side - 1) % side, ((y + 1) % side) * side + x, ((y + side - 1) % side) * side + x};
        for (int k = 0; k < 4; k++) if (to[k] >= n) to[k] = to[k] % n;
        return Behaviors.receiveMessage(m -> {
            if (m instanceof Token t) {
                handled.increment();
                refs[to[random.nextInt(4)]].tell(new Token(t.hops() + 1));
            }
            return Behaviors.same();
        });
    }
}
