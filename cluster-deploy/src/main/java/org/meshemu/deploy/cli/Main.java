package org.meshemu.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.meshemu.dashboards.TerminalProgress;
import org.meshemu.dashboards.TraceWriter;
import org.meshemu.dashboards.Watch;
import org.meshemu.deploy.RunCheckpoints;
import org.meshemu.deploy.HeapEstimate;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.Runner.Execution;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.deploy.cluster.NodeHost;
import org.meshemu.kernel.EmulationException;
import org.meshemu.kernel.HeapGuard;
import org.meshemu.kernel.HostLostException;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code meshemu} command line. Exit codes: 0 success, 2 bad input (one message naming the
 * file, field and value; no stack trace), 1 an internal error, 3 a cluster node lost mid-run.
 */
@Command(name = "meshemu", mixinStandardHelpOptions = true, version = "meshemu 0.1.0",
        description = "Emulates many-core and multi-chip AI hardware, running real workloads with exact dataflow semantics.")
public final class Main {
    static final int OK = 0, INTERNAL = 1, BAD_INPUT = 2, NODE_LOST = 3;
    static final String DEFAULT_SCENARIO = "scenarios/default.yaml";
    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(Run.class, Resume.class, Sweep.class, Validate.class, Reference.class,
            MakeCheckpoint.class, Node.class, SweepWorker.class);

    public static void main(String[] args) {
        // begin the actor system of a run in this JVM (or read its configuration) while the command line and the scenario are read
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("resume"))) {
            // the process exits when the run's command ends: its actors are left to that exit, not stopped one by one
            org.meshemu.kernel.Engine.startEarly(org.meshemu.scenario.Scenario.RunSpec.defaultThreads(), true);
        } else {
            org.meshemu.kernel.Engine.preload();
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return executeCommand(args, out, err);
        } catch (OutOfMemoryError e) { // picocli passes errors through; the heap is free again once they unwound
            err.println(outOfMemory(e));
            return INTERNAL;
        }
    }

    /** The one message for a run that ran out of heap, wherever it did. */
    static String outOfMemory(Throwable e) {
        return String.format("out of memory (%s): the run needed more than this JVM's %s of heap; give it more with "
                + "MESHEMU_JAVA_OPTS=-Xmx..., set run.payload: timing, or use fewer cores", e.getMessage(),
                HeapEstimate.gib(Runtime.getRuntime().maxMemory()));
    }

    /** The OutOfMemoryError behind {@code e} (a component's failure carries it as its cause), or null. */
    private static OutOfMemoryError outOfMemoryIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) if (t instanceof OutOfMemoryError oom) return oom;
        return null;
    }

    private static int executeCommand(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> subcommand : subcommandsFor(args)) cli.addSubcommand(subcommand);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InputException) {
                err.println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            if (outOfMemoryIn(e) instanceof OutOfMemoryError oom) {
                err.println(outOfMemory(oom));
                return INTERNAL;
            }
            if (e instanceof HostLostException) {
                err.println("run failed: " + e.getMessage());
                return NODE_LOST;
            }
            if (e instanceof EmulationException) {
                err.println("emulation failed: " + e.getMessage());
                return INTERNAL;
            }
            err.println("internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL;
        });
        return cli.execute(args);
    }

    /**
     * The subcommands the command line needs: the one it names first, if it names one, else all of
     * them (for the help and for suggestions). Picocli reads every option of every subcommand it is
     * given, by reflection, before it parses anything: with all of them, a third of a short run's
     * main thread (docs/PERFORMANCE.md).
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) if (c.getAnnotation(Command.class).name().equals(args[0])) return List.of(c);
        }
        return SUBCOMMANDS;
    }

    /** Scenario options shared by the subcommands (a picocli mixin). */
    static final class ScenarioOptions {
        @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a scenario field, e.g. --set hardware.noc.width=4 (repeatable).")
        List<String> overrides = new ArrayList<>();

        LoadedScenario load(String file, List<String> extra) {
            List<String> all = new ArrayList<>(overrides);
            all.addAll(extra);
            if (file != null) return ScenarioLoader.load(Path.of(file), all);
            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(DEFAULT_SCENARIO)) {
                if (in == null) throw new IllegalStateException("the embedded " + DEFAULT_SCENARIO + " is missing from the build");
                return ScenarioLoader.parse("embedded " + DEFAULT_SCENARIO, new String(in.readAllBytes(), StandardCharsets.UTF_8), all);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the embedded " + DEFAULT_SCENARIO, e);
            }
        }
    }

    /** Where a run's outputs go: the options {@code run} and {@code reference} share (a picocli mixin). */
    static final class OutputOptions {
        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: run.outputs, else out/<scenario name>).")
        Path out;

        @Option(names = "--force", description = "Overwrite an earlier run in the directory named by --out or run.outputs.")
        boolean force;

        /** The run's directory; says where an earlier run in the default directory was kept. */
        RunDirectory open(PrintWriter say, LoadedScenario loaded) {
            RunDirectory d = RunDirectory.open(loaded.scenario(), out, force);
            if (d.keptAside() != null) say.println("  earlier run      moved to " + d.keptAside());
            return d;
        }
    }

    /** How and where a run executes, and what watches it: the options {@code run} and {@code resume} share (a picocli mixin). */
    static final class ExecutionOptions {
        @Option(names = "--threads", paramLabel = "N", description = "Dispatcher threads (default: run.threads, 0 = all processors).")
        Integer threads;

        @Option(names = "--partitions", paramLabel = "N", description = "NodeSync partitions (default: run.partitions; on a cluster at least one per node).")
        Integer partitions;

        @Option(names = "--checkpoint-every", paramLabel = "N",
                description = "Take a checkpoint every N local windows of a partition, into DIR/checkpoints (default: run.checkpointEvery, 0 = none).")
        Integer checkpointEvery;

        @Option(names = "--nodes", paramLabel = "N", description = "Run over N worker JVMs started on 127.0.0.1 for this run.")
        Integer nodes;

        @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "Run over the nodes of the cluster that HOST:PORT belongs to (see 'meshemu node').")
        String cluster;

        @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "With --cluster: the address this JVM binds to and the nodes reach it at (default ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--serve", paramLabel = "PORT",
                description = "Serve /metrics, /api/status and the live page / on PORT (0: any free port) while the run goes, and after it until interrupted.")
        Integer serve;

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to serve on (default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--serve-exit", description = "With --serve: stop serving when the run ends.")
        boolean serveExit;

        @Option(names = "--trace", description = "Write trace.json (Chrome / Perfetto trace events: instructions and transfers as slices).")
        boolean trace;

        @Option(names = "--trace-region", paramLabel = "X0,Y0,X1,Y1",
                description = "Trace only the cores and links of these nodes (inclusive; default: all, sampled to at most 32 x 32 nodes).")
        String traceRegion;

        @Option(names = "--trace-stride", paramLabel = "K", description = "With --trace-region: trace every K-th node in each direction (default 1).")
        Integer traceStride;

        @Option(names = "--trace-limit", paramLabel = "N", description = "Write at most N slices (default: ${DEFAULT-VALUE}).",
                defaultValue = "" + Watch.Trace.DEFAULT_LIMIT)
        long traceLimit;

        /** The {@code run.*} overrides these options stand for. */
        List<String> runOverrides() {
            List<String> sets = new ArrayList<>();
            if (threads != null) sets.add("run.threads=" + threads);
            if (partitions != null) sets.add("run.partitions=" + partitions);
            if (checkpointEvery != null) sets.add("run.checkpointEvery=" + checkpointEvery);
            return sets;
        }

        /**
         * Runs {@code loaded} into {@code dir} (from {@code checkpoint} if not null), watched as the
         * options say, and prints the summary.
         */
        int run(CommandLine.Model.CommandSpec spec, LoadedScenario loaded, Execution execution, RunDirectory dir,
                RunCheckpoints.Loaded checkpoint) throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            var progress = new TerminalProgress(spec.commandLine().getErr(), TerminalProgress.onTerminal());
            try (Watch watch = new Watch(new Watch.Options(serve, bind, traceOptions()), out, progress)) {
                Runner.Outcome outcome = Runner.run(loaded, dir, RunObserver.NONE, watch, execution, checkpoint);
                summarise(out, outcome);
                if (serve != null && !serveExit) {
                    out.println("  still serving the final state; Ctrl-C to stop");
                    new java.util.concurrent.CountDownLatch(1).await();
                }
            }
            return OK;
        }

        /** Where the run executes; checks the options first (before anything is loaded or written). */
        Execution execution() {
            if (serveExit && serve == null) throw new InputException("--serve-exit", "needs --serve PORT");
            traceOptions();
            if (nodes != null && cluster != null) throw new InputException("--nodes " + nodes + " --cluster " + cluster, "one of the two, not both");
            if (nodes != null || cluster != null) org.meshemu.kernel.Engine.cancelEarly(); // the nodes run it
            if (nodes != null) {
                if (nodes < 1) throw new InputException("--nodes", nodes + "", "a number of worker JVMs >= 1");
                return ClusterRun.on(new ClusterRun.Spawn(nodes));
            }
            if (cluster != null) return ClusterRun.on(new ClusterRun.Existing(hostPort("--cluster", cluster), host));
            return Execution.THIS_JVM;
        }

        private Watch.Trace traceOptions() {
            if (!trace) {
                if (traceRegion != null) throw new InputException("--trace-region", "needs --trace");
                return null;
            }
            if (traceLimit < 1) throw new InputException("--trace-limit", traceLimit, ">= 1");
            if (traceStride != null && (traceRegion == null || traceStride < 1)) {
                throw new InputException("--trace-stride", traceStride, ">= 1, with --trace-region");
            }
            try {
                return new Watch.Trace(traceRegion == null ? null : TraceWriter.Region.parse(traceRegion, traceStride == null ? 1 : traceStride), traceLimit);
            } catch (IllegalArgumentException e) {
                throw new InputException("--trace-region", traceRegion, "X0,Y0,X1,Y1 (node columns and rows, X0 <= X1, Y0 <= Y1)");
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario (the embedded default if none is given).")
    static final class Run implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Scenario YAML file.")
        String scenario;

        @CommandLine.Mixin OutputOptions output;

        @CommandLine.Mixin ScenarioOptions options;

        @CommandLine.Mixin ExecutionOptions execution;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Execution where = execution.execution();
            LoadedScenario loaded = options.load(scenario, execution.runOverrides());
            PrintWriter out = spec.commandLine().getOut();
            out.println("meshemu: running " + loaded.scenario().name() + " (" + loaded.source() + ")");
            if (where == Execution.THIS_JVM) requireHeap(out, loaded); // on a cluster the nodes hold the components
            return execution.run(spec, loaded, where, output.open(out, loaded), null);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Continue a run from the newest valid checkpoint in its directory (taken with --checkpoint-every).")
    static final class Resume implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The run's output directory (holding checkpoints/).")
        Path dir;

        @CommandLine.Mixin ExecutionOptions execution;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Execution where = execution.execution();
            PrintWriter out = spec.commandLine().getOut();
            RunCheckpoints.Loaded checkpoint = RunCheckpoints.newest(dir, line -> out.println("  " + line));
            // the scenario as the run loaded it; only how it runs may change
            LoadedScenario loaded = ScenarioLoader.parse(checkpoint.source(), checkpoint.scenarioJson(), execution.runOverrides());
            out.printf("meshemu: resuming %s (%s) from %s: epoch %,d, simulated time %,d ps%n", loaded.scenario().name(),
                    loaded.source(), checkpoint.file(), checkpoint.epoch(), checkpoint.resume().soFar().lastPs());
            if (where == Execution.THIS_JVM) requireHeap(out, loaded);
            return execution.run(spec, loaded, where, RunDirectory.open(loaded.scenario(), dir, true), checkpoint);
        }
    }

    /** Checks a HOST:PORT option and returns it. */
    static String hostPort(String option, String value) {
        int colon = value.lastIndexOf(':');
        boolean ok = colon > 0 && value.substring(colon + 1).matches("\\d{1,5}") && Integer.parseInt(value.substring(colon + 1)) <= 65535;
        if (!ok) throw new InputException(option, value, "HOST:PORT, e.g. 127.0.0.1:2552");
        return value;
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Start a long-lived worker node of a meshemu cluster; runs started with --cluster use it until it is stopped.")
    static final class Node implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "P", defaultValue = "2552", description = "Port to bind (0: any free port; default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--seed", paramLabel = "HOST:PORT", description = "A node of the cluster to join (default: this node starts a new cluster).")
        String seed;

        @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "Address to bind, and that other nodes reach this one at (default ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--threads", paramLabel = "N", description = "Dispatcher threads (default: every processor).")
        Integer threads;

        @Option(names = "--exit-with-stdin", hidden = true, description = "Exit when standard input closes (workers started by --nodes).")
        boolean exitWithStdin;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535) throw new InputException("--port", port + "", "a port 0..65535");
            List<String> seeds = seed == null ? List.of() : List.of(hostPort("--seed", seed));
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (n < 1) throw new InputException("--threads", n + "", "a number of threads >= 1");
            var system = NodeHost.start(host, port, seeds, n, com.typesafe.config.ConfigFactory.empty());
            var cluster = org.apache.pekko.cluster.typed.Cluster.get(system);
            spec.commandLine().getOut().printf("meshemu node %s (%d threads)%s%n", cluster.selfMember().address(), n,
                    seed == null ? ", a new cluster: join it with --seed " + NodeHost.hostPort(system) : ", joining " + seed);
            var out = spec.commandLine().getOut();
            org.apache.pekko.cluster.Cluster.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
                    .registerOnMemberUp(() -> out.println("meshemu node " + cluster.selfMember().address() + " is up: runs can use it"));
            if (exitWithStdin) {
                Thread watcher = new Thread(() -> {
                    try {
                        while (System.in.read() != -1) { /* the launcher never writes; EOF means it is gone */ }
                    } catch (IOException ignored) {
                        // closed: the launcher is gone
                    }
                    system.terminate();
                }, "meshemu-launcher-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
            system.getWhenTerminated().toCompletableFuture().get();
            return OK;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Run every point of a sweep file (a base scenario and axes over scenario paths) on worker JVMs or a cluster; "
                    + "writes results.csv, plots and summary.md, and runs again only the points not yet done.")
    static final class Sweep implements Callable<Integer> {
        @Parameters(paramLabel = "SWEEP", description = "Sweep YAML file (base:, grid:, zip:, plots:).")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", description = "The sweep's directory (default: out/<sweep file name>); a second run resumes it.")
        Path out;

        @Option(names = "--jobs", paramLabel = "N", description = "Points run at once, each worker a JVM of its own (default: from the processors and memory).")
        Integer jobs;

        @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "Run each point over the nodes of the cluster that HOST:PORT belongs to.")
        String cluster;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (cluster != null) hostPort("--cluster", cluster);
            var sweep = org.meshemu.deploy.sweep.SweepFile.load(file);
            return org.meshemu.deploy.sweep.Sweep.run(sweep, new org.meshemu.deploy.sweep.Sweep.Options(out, jobs, cluster),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "sweep-worker", hidden = true,
            description = "A sweep's point worker: runs the point directories read on standard input, one a line (started by sweep).")
    static final class SweepWorker implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            return org.meshemu.deploy.sweep.PointWorker.serve(Main::execute);
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a scenario (syntax, values, mapping, SRAM, wiring) without running it.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "SCENARIO", description = "Scenario YAML file.")
        String scenario;

        @CommandLine.Mixin ScenarioOptions options;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LoadedScenario loaded = options.load(scenario, List.of());
            requireHeap(spec.commandLine().getOut(), loaded);
            Runner.Prepared prepared = Runner.prepare(loaded);
            spec.commandLine().getOut().printf("%s: valid (%d components, window %d ps, sha256 %s)%n", loaded.source(),
                    prepared.built().assembly().size(), prepared.built().assembly().windowPs(), loaded.sha256());
            return OK;
        }
    }

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Run only the plain-Java reference of a scenario's workload and write the same output files as a run.")
    static final class Reference implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "SCENARIO", description = "Scenario YAML file.")
        String scenario;

        @CommandLine.Mixin OutputOptions output;

        @CommandLine.Mixin ScenarioOptions options;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LoadedScenario loaded = options.load(scenario, List.of());
            PrintWriter o = spec.commandLine().getOut();
            o.println("meshemu: reference of " + loaded.scenario().name() + " (" + loaded.source() + ")");
            Runner.ReferenceOutcome r = Runner.reference(loaded, output.open(o, loaded));
            o.printf("  wall time        %.3f s%n", r.report().wallSeconds());
            o.printf("  output digest    %s%n", r.report().outputDigest());
            o.printf("  written to       %s%n", r.directory().resolve("report.json"));
            return OK;
        }
    }

    @Command(name = "make-checkpoint", mixinStandardHelpOptions = true,
            description = "Write a seeded random checkpoint (config.json + model.safetensors) in a family's real HF layout.")
    static final class MakeCheckpoint implements Callable<Integer> {
        @Option(names = "--family", required = true, paramLabel = "F", description = "Model family, a registered model_type (retnet, bitnet, phimoe, phi3, ...), as a scenario's model.family.")
        String family;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "HF config.json of the model (model_type may be omitted).")
        Path config;

        @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed of the random weights.")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created if needed).")
        Path out;

        @Option(names = "--dtype", paramLabel = "T", defaultValue = "fp32", description = "How floating tensors are stored: fp32 (default) or bf16 (as released checkpoints; BitNet's projections stay packed ternary).")
        String dtype;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.toFile());
            } catch (java.io.FileNotFoundException e) {
                throw new InputException(config.toString(), "config file not found");
            } catch (IOException e) {
                throw new InputException(config.toString(), "not valid JSON (" + e.getMessage().replace('\n', ' ') + ")");
            }
            if (json == null || !json.isObject()) throw new InputException(config.toString(), "must be a JSON object of HF config keys");
            var parsed = org.meshemu.workloads.checkpoint.Checkpoint.parseConfig(family, json, config.toString());
            org.meshemu.tensor.DType floats = switch (dtype) {
                case "fp32" -> org.meshemu.tensor.DType.FP32;
                case "bf16" -> org.meshemu.tensor.DType.BF16;
                default -> throw new InputException("--dtype", "must be fp32 or bf16, got '" + dtype + "'");
            };
            Path dir = org.meshemu.workloads.checkpoint.RandomCheckpoint.write(parsed, seed, out, floats);
            spec.commandLine().getOut().printf("meshemu: wrote a random %s checkpoint (seed %d) to %s%n", family, seed, dir);
            return OK;
        }
    }

    /** Says the heap estimate and refuses a run that cannot fit, before anything is planned or built. */
    static void requireHeap(PrintWriter out, LoadedScenario loaded) {
        HeapEstimate estimate = HeapEstimate.of(loaded);
        long available = HeapGuard.capacityBytes();
        estimate.requireFits(loaded.source(), available, loaded.scenario().run().fullPayload());
        out.println("  " + estimate.describe(available));
    }

    static void summarise(PrintWriter out, Runner.Outcome o) {
        RunReport r = o.report();
        out.printf("  simulated time   %,d ps (%.3f us)%n", r.simulatedTimePs(), r.simulatedTimePs() / 1e6);
        out.printf("  events           %,d in %,d windows of %,d ps, %,d epochs%n", r.events(), r.windows(), r.windowPs(), r.epochs());
        out.printf("  wall time        %.3f s (%,.0f events/s, %d thread%s, %d partition%s)%n", r.wallSeconds(), r.eventsPerSecond(),
                r.threads(), r.threads() == 1 ? "" : "s", r.partitions(), r.partitions() == 1 ? "" : "s");
        out.printf("  peak heap        %,.0f MiB%n", r.peakHeapBytes() / 1048576.0);
        r.utilisation().forEach((kind, u) -> out.printf("  %-16s mean %.1f%%, max %.1f%%%n", kind + " utilisation", 100 * u.mean(), 100 * u.max()));
        if (r.energy() != null) {
            out.printf("  energy           %,.1f nJ (%.2f W average, peak %.3f W/mm^2)%n", r.energy().totalPj() / 1e3, r.energy().averageWatts(), r.energy().peakWattsPerMm2());
        }
        if (r.noc() != null) {
            out.printf("  packet latency   mean %.2f cycles, p99 %.0f cycles (%,d packets measured)%n",
                    r.noc().avgPacketLatencyCycles(), r.noc().p99PacketLatencyCycles(), r.noc().measuredPackets());
            out.printf("  throughput       offered %.4f, accepted %.4f packets/node/cycle%n",
                    r.noc().offeredPacketsPerNodePerCycle(), r.noc().acceptedPacketsPerNodePerCycle());
        }
        if (r.outputDigest() != null) out.printf("  output digest    %s%n", r.outputDigest());
        if (r.reference() != null) {
            out.printf("  vs reference     max abs error %.3g, max rel error %.3g%s%n", r.reference().maxAbsError(), r.reference().maxRelError(),
                    r.reference().tokensMatch() == null ? "" : ", tokens " + (r.reference().tokensMatch() ? "match" : "DIFFER"));
        }
        if (r.generation() != null) {
            var g = r.generation();
            out.printf("  generation       TTFT %,d ps, TPOT %,d ps, %.0f tokens per simulated second (%s)%n", g.timeToFirstTokenPs(),
                    g.timePerOutputTokenPs(), g.tokensPerSimulatedSecond(), g.mapping());
        }
        out.printf("  written to       %s%n", o.directory().resolve("report.json"));
    }
}
