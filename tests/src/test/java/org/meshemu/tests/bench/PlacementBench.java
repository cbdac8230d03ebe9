package org.meshemu.tests.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.PartitionStats;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.noc.NocSpec;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/**
 * A scenario in this JVM under two placements of the same partitions, alternately, twice each: cut
 * by component count (every weight 1, the rule before weights) and by expected events (the
 * placement every run uses, {@link Runner#placement}). Prints one JSON line per run: the events each
 * partition handled, their max / mean, the weight each was given, epochs and wall time.
 * Usage: PlacementBench SCENARIO PARTITIONS THREADS [path=value ...]
 */
public final class PlacementBench {
    private PlacementBench() {}

    public static void main(String[] args) {
        LoadedScenario loaded = ScenarioLoader.load(Path.of(args[0]), List.of(args).subList(3, args.length));
        int partitions = Integer.parseInt(args[1]), threads = Integer.parseInt(args[2]);
        Runner.Prepared prepared = Runner.prepare(loaded);
        Assembly a = prepared.built().assembly();
        Placement byWeight = Runner.placement(loaded, prepared, partitions, threads);
        Placement byCount = Placement.byLocality(a, partitions, loaded.scenario().hardware().get(NocSpec.class).nodes(), id -> 1);
        for (int round = 0; round < 2; round++) {
            print(loaded, "count", a, byCount, Engine.run(a, byCount, threads, RunObserver.NONE));
            print(loaded, "weight", a, byWeight, Engine.run(a, byWeight, threads, RunObserver.NONE));
        }
    }

    static void print(LoadedScenario loaded, String rule, Assembly a, Placement p, RunResult r) {
        long[] events = r.partitions().stream().mapToLong(PartitionStats::events).toArray();
        double mean = Arrays.stream(events).average().orElse(0);
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\": \"placement\", \"scenario\": \"%s\", \"rule\": \"%s\", \"partitions\": %d, \"components\": %s, \"weight\": %s, "
                        + "\"events\": %s, \"maxOverMean\": %.3f, \"epochs\": %d, \"windows\": %d, \"wallSeconds\": %.3f}",
                loaded.scenario().name(), rule, p.partitions(), Arrays.toString(p.components()), Arrays.toString(p.weights(a)),
                Arrays.toString(events), Arrays.stream(events).max().orElse(0) / mean, r.epochs(), r.windows(), r.wallNanos() / 1e9));
    }
}
