package org.meshemu.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.dashboards.Watch;
import org.meshemu.dram.Bank;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Checkpointing;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.noc.NocSpec;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tensor;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.traffic.TrafficStats;

/**
 * One run of a scenario inside this JVM: plan, assemble, run on the kernel, assemble the outputs,
 * compare them with the reference, and write {@code report.json}, the {@code .npy} outputs and the
 * heatmap pictures.
 */
public final class Runner {
    private Runner() {}

    /** What a run produced. */
    public record Outcome(RunReport report, List<Tensor> outputs, Path directory) {}

    /** A workload mapped and its system assembled, ready to run. */
    public record Prepared(Plan plan, SystemAssembler.Built built) {}

    /** Plans and assembles without running: everything {@code validate} checks. */
    public static Prepared prepare(LoadedScenario loaded) {
        Plan plan = Workloads.plan(loaded);
        try {
            return new Prepared(plan, SystemAssembler.build(loaded.scenario(), plan));
        } catch (InputException e) {
            // the assembler's checks (SRAM, wiring) know the field but not the file
            if (e.getMessage().startsWith(loaded.source())) throw e;
            throw new InputException(loaded.source(), e.getMessage());
        }
    }

    /** What a reference-only run produced. */
    public record ReferenceOutcome(org.meshemu.report.ReferenceReport report, List<Tensor> outputs, Path directory) {}

    /**
     * Runs only the workload's plain-Java reference and writes the same output files as a run
     * ({@code .npy} outputs) with {@code report.json} describing the reference run.
     */
    public static ReferenceOutcome reference(LoadedScenario loaded, RunDirectory dir) {
        Scenario s = loaded.scenario();
        dir.start("reference", loaded);
        try {
            long start = System.nanoTime();
            List<Tensor> outputs = Workloads.of(loaded).reference(loaded);
            double wall = (System.nanoTime() - start) / 1e9;
            var report = new org.meshemu.report.ReferenceReport(s.name(), loaded.sha256(), "reference", wall, Tensor.digest(outputs),
                    outputs.stream().map(Tensor::name).toList());
            writeTensors(dir, outputs);
            dir.writeJson(RunDirectory.REPORT, report);
            dir.completed();
            return new ReferenceOutcome(report, outputs, dir.path());
        } catch (RuntimeException | Error e) {
            dir.failed(e);
            throw e;
        }
    }

    private static void writeTensors(RunDirectory dir, List<Tensor> outputs) {
        for (Tensor t : outputs) dir.write(t.npyFileName(), t::writeNpy);
    }

    /** Counters of every DRAM bank, one row each, for studies of the tensor-to-bank mapping (docs/REPORT.md). */
    static void writeBanks(RunDirectory dir, RunResult result, SystemAssembler.Built built) {
        List<String> columns = Bank.CSV_COUNTERS;
        StringBuilder csv = new StringBuilder("bank,busyPs," + String.join(",", columns) + "\n");
        for (ComponentReport r : result.reports()) {
            if (!r.kind().equals("bank")) continue;
            csv.append('"').append(built.assembly().label(r.id())).append("\",").append(r.busyPs()); // labels hold commas
            for (String c : columns) csv.append(',').append(r.counter(c));
            csv.append('\n');
        }
        dir.write("banks.csv", out -> out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Peak heap use of this JVM so far (sum of the heap pools' peaks), a host figure like wall time. */
    static long peakHeapBytes() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /**
     * Where a run executes: the kernel in this JVM, or the nodes of a cluster. It is launched before
     * the run is planned, so that setting it up (an actor system, worker JVMs) overlaps planning.
     */
    @FunctionalInterface
    public interface Execution {
        /** Begins to set up a run on {@code threads} dispatcher threads; the launch is closed whether it ran or not. */
        Launch launch(int threads);

        /** A launched execution, ready to run one prepared run. */
        @FunctionalInterface
        interface Launch extends AutoCloseable {
            Executed execute(LoadedScenario loaded, Prepared prepared, int partitions, RunObserver observer, Checkpointing checkpointing);

            @Override
            default void close() {}
        }

        /**
         * The result, the placement it ran with, the dispatcher threads it used (in one JVM; on a cluster, the
         * launcher's count), how it spread over a cluster (null in one JVM), and the bytes of checkpoint files the
         * JVMs hosting banks mapped for their weight tiles ({@link #mapWeights}), summed.
         */
        record Executed(RunResult result, Placement placement, int threads, RunReport.Cluster cluster, long weightsMappedBytes) {}

        Execution THIS_JVM = threads -> new Launch() {
            private final Engine engine = Engine.start(threads);

            @Override
            public Executed execute(LoadedScenario loaded, Prepared prepared, int partitions, RunObserver observer,
                                    Checkpointing checkpointing) {
                Assembly assembly = prepared.built().assembly();
                // a thread count the scenario leaves to the machine: a run of one partition runs on one of them
                int used = loaded.scenario().run().threads() > 0 ? threads : Placement.threadsFor(assembly, partitions, threads);
                Placement placement = placement(loaded, prepared, partitions, used);
                long mapped = mapWeights(prepared, checkpointing, id -> true);
                return new Executed(engine.run(assembly, placement, observer, checkpointing, used), placement, used, null, mapped);
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    /**
     * The placement of a prepared run, the same in every JVM that computes it: {@link Placement#choose}
     * with cuts between whole chips (localities are numbered chip by chip, so a unit of one chip's
     * nodes keeps chips whole).
     */
    public static Placement placement(LoadedScenario loaded, Prepared prepared, int partitions, int threads) {
        return Placement.choose(prepared.built().assembly(), partitions, threads, loaded.scenario().hardware().get(NocSpec.class).nodes());
    }

    /**
     * Maps, before any component runs, the spans of the checkpoint files that the weight tiles of the banks this
     * JVM hosts ({@code hosted} accepts their component ids) read, per tensor ({@link Stored#map}), so a
     * node of a cluster maps its share of the weights only. Returns the bytes mapped; none when resuming (the
     * banks' tiles come from the run checkpoint).
     */
    public static long mapWeights(Prepared prepared, Checkpointing checkpointing, java.util.function.IntPredicate hosted) {
        if (checkpointing.resume() != null) return 0;
        List<Stored> views = new java.util.ArrayList<>();
        int[] banks = prepared.built().banks();
        for (int i = 0; i < banks.length; i++) {
            if (!hosted.test(banks[i])) continue;
            for (Tile t : prepared.plan().banks().get(i).values()) if (t.stored() != null) views.add(t.stored());
        }
        return Stored.map(views);
    }

    /** Each partition's components, weight and events handled. */
    static List<RunReport.PartitionLoad> partitionLoad(org.meshemu.kernel.Assembly assembly, Placement placement, RunResult result) {
        long[] components = placement.components(), weight = placement.weights(assembly), events = new long[placement.partitions()];
        for (org.meshemu.kernel.PartitionStats s : result.partitions()) events[s.partition()] = s.events();
        return java.util.stream.IntStream.range(0, placement.partitions())
                .mapToObj(p -> new RunReport.PartitionLoad(p, components[p], weight[p], events[p])).toList();
    }

    /**
     * Runs the scenario in this JVM and writes its outputs into {@code outDir} (null: the scenario's,
     * else out/NAME), overwriting an earlier run there (the command line refuses that without --force).
     */
    public static Outcome run(LoadedScenario loaded, Path outDir, RunObserver observer) {
        return run(loaded, outDir, observer, Watch.picturesOnly(), Execution.THIS_JVM);
    }

    /** As {@link #run(LoadedScenario, Path, RunObserver)}, where {@code execution} says. */
    public static Outcome run(LoadedScenario loaded, Path outDir, RunObserver observer, Execution execution) {
        return run(loaded, outDir, observer, Watch.picturesOnly(), execution);
    }

    /** As {@link #run(LoadedScenario, Path, RunObserver)}, watched by {@code watch} (live metrics and page), which also draws the pictures. */
    public static Outcome run(LoadedScenario loaded, Path outDir, RunObserver observer, Watch watch) {
        return run(loaded, outDir, observer, watch, Execution.THIS_JVM);
    }

    private static Outcome run(LoadedScenario loaded, Path outDir, RunObserver observer, Watch watch, Execution execution) {
        return run(loaded, RunDirectory.open(loaded.scenario(), outDir, true), observer, watch, execution);
    }

    /**
     * Runs the scenario where {@code execution} says, watched by {@code watch}, into {@code dir}:
     * status.json first, the outputs, then the report and the final status.
     */
    public static Outcome run(LoadedScenario loaded, RunDirectory dir, RunObserver observer, Watch watch, Execution execution) {
        return run(loaded, dir, observer, watch, execution, null);
    }

    /**
     * As {@link #run(LoadedScenario, RunDirectory, RunObserver, Watch, Execution)}, continuing from
     * {@code checkpoint} ({@code loaded} must be the scenario it holds), or from the start if null.
     */
    public static Outcome run(LoadedScenario loaded, RunDirectory dir, RunObserver observer, Watch watch, Execution execution,
                              RunCheckpoints.Loaded checkpoint) {
        dir.start(checkpoint == null ? "run" : "resume", loaded);
        try {
            Outcome outcome = runInto(loaded, dir, dir.recording(observer), watch, execution, checkpoint);
            dir.completed();
            return outcome;
        } catch (RuntimeException | Error e) {
            dir.failed(e);
            throw e;
        }
    }

    private static Outcome runInto(LoadedScenario loaded, RunDirectory dir, RunObserver observer, Watch watch, Execution execution,
                                  RunCheckpoints.Loaded checkpoint) {
        Scenario s = loaded.scenario();
        int threads = s.run().effectiveThreads();
        try (Execution.Launch launch = execution.launch(threads)) {
            return runInto(loaded, dir, observer, watch, launch, checkpoint);
        }
    }

    private static Outcome runInto(LoadedScenario loaded, RunDirectory dir, RunObserver observer, Watch watch, Execution.Launch launch,
                                   RunCheckpoints.Loaded checkpoint) {
        Scenario s = loaded.scenario();
        long preparing = System.nanoTime();
        Prepared prepared = prepare(loaded);
        double preparedSeconds = (System.nanoTime() - preparing) / 1e9; // not the watch's start (a server, perhaps)
        Plan plan = prepared.plan();
        SystemAssembler.Built built = prepared.built();
        RunObserver watched = watch.observe(s, built.assembly(), plan.work(), observer);
        // at wafer scale planning and assembly take seconds before the first progress line (docs/PERFORMANCE.md)
        watched.status(String.format("assembled %,d components in %.1f s", built.assembly().size(), preparedSeconds));
        int every = s.run().checkpointEvery();
        RunCheckpoints checkpoints = every == 0 ? null
                : new RunCheckpoints(dir.path(), loaded.source(), loaded.tree().toString(), built.assembly().size(), watched::status);
        Execution.Executed executed;
        try {
            executed = launch.execute(loaded, prepared, s.run().partitions(), watched,
                    new Checkpointing(every, checkpoints, checkpoint == null ? null : checkpoint.resume()));
        } finally {
            if (checkpoints != null) checkpoints.abandonIncomplete();
        }
        RunResult result = executed.result();
        Placement placement = executed.placement();

        // The passes over the reports read the same immutable reports and share nothing else: they run
        // side by side, each in its own order, so the report and the files are those of one pass after
        // the other (at wafer scale they took seconds on one thread, docs/PERFORMANCE.md). The files
        // are written once every pass has succeeded, as before: a failed run writes none of them.
        RunReport report;
        List<Tensor> outputs;
        try (Passes passes = new Passes()) {
            var assembling = passes.start(() -> {
                Map<Integer, Map<Long, Tile>> memory = new HashMap<>();
                for (ComponentReport r : result.reports()) memory.put(r.id(), r.memory());
                return plan.assemble(bank -> memory.get(built.banks()[bank]));
            });
            var tally = passes.start(() -> RunReport.tally(result));
            var dram = passes.start(() ->
                    Bank.summary(result.reports().stream().filter(r -> r.kind().equals("bank")).toList(), result.simulatedPs()));
            var energy = passes.start(() ->
                    Energy.of(result.reports(), s.hardware().get(EnergySpec.class), built.assembly()::locality, result.simulatedPs()));
            var traffic = passes.start(() -> TrafficStats.summarise(result, built.assembly()::label));
            var generation = passes.start(() -> plan.generation() == null ? null : plan.generation().apply(result.reports()));
            var section = passes.start(() -> plan.section() == null
                    ? null : Map.of(plan.section().name(), plan.section().build().apply(result.reports(), result.simulatedPs())));
            outputs = assembling.join();
            List<Tensor> assembled = outputs;
            var digest = passes.start(() -> assembled.isEmpty() ? null : Tensor.digest(assembled));
            var compared = passes.start(() -> plan.reference() == null || assembled.isEmpty()
                    ? null : RunReport.Reference.compare(assembled, plan.reference().get()));
            var sections = new RunReport.Sections(dram.join(), energy.join(), traffic.join(), generation.join(),
                    executed.cluster(),
                    partitionLoad(built.assembly(), placement, result),
                    every > 0 || checkpoint != null ? RunCheckpoints.report(every, checkpoints, checkpoint) : null,
                    section.join(),
                    executed.weightsMappedBytes() == 0 ? null : new RunReport.Weights(executed.weightsMappedBytes()));
            report = RunReport.of(s.name(), loaded.sha256(), s.run().payload(), placement.partitions(), executed.threads(),
                    built.assembly().windowPs(), result, digest.join(), compared.join(), peakHeapBytes(), tally.join(), sections);
            var tensors = passes.run(() -> writeTensors(dir, assembled));
            var banks = passes.run(() -> writeBanks(dir, result, built));
            watch.finished(result, sections.energy(), dir.path());
            tensors.join();
            banks.join();
        }
        // the report last: a directory holding it holds every output of the run
        dir.writeJson(RunDirectory.REPORT, report);
        return new Outcome(report, outputs, dir.path());
    }
}
