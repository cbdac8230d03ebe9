package org.meshemu.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.meshemu.deploy.HeapEstimate;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.EmulationException;
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
 * file, field and value; no stack trace), 1 an internal error.
 */
@Command(name = "meshemu", mixinStandardHelpOptions = true, version = "meshemu 0.1.0",
        description = "Emulates many-core and multi-chip AI hardware, running real workloads with exact dataflow semantics.",
        subcommands = {Main.Run.class, Main.Validate.class, Main.Reference.class, Main.MakeCheckpoint.class})
public final class Main {
    static final int OK = 0, INTERNAL = 1, BAD_INPUT = 2;
    static final String DEFAULT_SCENARIO = "scenarios/default.yaml";

    public static void main(String[] args) {
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

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario (the embedded default if none is given).")
    static final class Run implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Scenario YAML file.")
        String scenario;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: run.outputs, else out/<scenario name>).")
        Path out;

        @Option(names = "--threads", paramLabel = "N", description = "Dispatcher threads (default: run.threads, 0 = all processors).")
        Integer threads;

        @Option(names = "--partitions", paramLabel = "N", description = "NodeSync partitions inside this JVM (default: run.partitions).")
        Integer partitions;

        @Option(names = "--force", description = "Overwrite an earlier run in the directory named by --out or run.outputs.")
        boolean force;

        @CommandLine.Mixin ScenarioOptions options;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> extra = new ArrayList<>();
            if (threads != null) extra.add("run.threads=" + threads);
            if (partitions != null) extra.add("run.partitions=" + partitions);
            LoadedScenario loaded = options.load(scenario, extra);
            PrintWriter out = spec.commandLine().getOut();
            out.println("meshemu: running " + loaded.scenario().name() + " (" + loaded.source() + ")");
            requireHeap(out, loaded);
            RunDirectory dir = openDirectory(out, loaded, this.out, force);
            Runner.Outcome outcome = Runner.run(loaded, dir, new Progress(spec.commandLine().getErr()));
            summarise(out, outcome);
            return OK;
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

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: run.outputs, else out/<scenario name>).")
        Path out;

        @Option(names = "--force", description = "Overwrite an earlier run in the directory named by --out or run.outputs.")
        boolean force;

        @CommandLine.Mixin ScenarioOptions options;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LoadedScenario loaded = options.load(scenario, List.of());
            PrintWriter o = spec.commandLine().getOut();
            o.println("meshemu: reference of " + loaded.scenario().name() + " (" + loaded.source() + ")");
            Runner.ReferenceOutcome r = Runner.reference(loaded, openDirectory(o, loaded, out, force));
            o.printf("  wall time        %.3f s%n", r.report().wallSeconds());
            o.printf("  output digest    %s%n", r.report().outputDigest());
            o.printf("  written to       %s%n", r.directory().resolve("report.json"));
            return OK;
        }
    }

    @Command(name = "make-checkpoint", mixinStandardHelpOptions = true,
            description = "Write a seeded random checkpoint (config.json + model.safetensors) in a family's real HF layout.")
    static final class MakeCheckpoint implements Callable<Integer> {
        @Option(names = "--family", required = true, paramLabel = "F", description = "Model family: retnet, phimoe or bitnet.")
        String family;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "HF config.json of the model (model_type may be omitted).")
        Path config;

        @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed of the random weights.")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created if needed).")
        Path out;

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
            Path dir = org.meshemu.workloads.checkpoint.RandomCheckpoint.write(parsed, seed, out);
            spec.commandLine().getOut().printf("meshemu: wrote a random %s checkpoint (seed %d) to %s%n", family, seed, dir);
            return OK;
        }
    }

    /** Says the heap estimate and refuses a run that cannot fit, before anything is planned or built. */
    static void requireHeap(PrintWriter out, LoadedScenario loaded) {
        HeapEstimate estimate = HeapEstimate.of(loaded);
        long available = Runtime.getRuntime().maxMemory();
        estimate.requireFits(loaded.source(), available, loaded.scenario().run().fullPayload());
        out.println("  " + estimate.describe(available));
    }

    /** The run's directory; says where an earlier run in the default directory was kept. */
    static RunDirectory openDirectory(PrintWriter out, LoadedScenario loaded, Path dir, boolean force) {
        RunDirectory d = RunDirectory.open(loaded.scenario(), dir, force);
        if (d.keptAside() != null) out.println("  earlier run      moved to " + d.keptAside());
        return d;
    }

    static void summarise(PrintWriter out, Runner.Outcome o) {
        RunReport r = o.report();
        out.printf("  simulated time   %,d ps (%.3f us)%n", r.simulatedTimePs(), r.simulatedTimePs() / 1e6);
        out.printf("  events           %,d in %,d windows of %,d ps, %,d root rounds%n", r.events(), r.windows(), r.windowPs(), r.rootRounds());
        out.printf("  wall time        %.3f s (%,.0f events/s, %d threads, %d partitions)%n", r.wallSeconds(), r.eventsPerSecond(), r.threads(), r.partitions());
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

    /** Prints a progress line at most every two seconds of wall time (outside the simulated path). */
    static final class Progress implements RunObserver {
        private final PrintWriter err;
        private long lastNanos = System.nanoTime();

        Progress(PrintWriter err) { this.err = err; }

        @Override
        public void windowDone(long windows, long simulatedPs, long events) {
            long now = System.nanoTime();
            if (now - lastNanos < 2_000_000_000L) return;
            lastNanos = now;
            err.printf("  ... %,d windows, simulated %,d ps, %,d events%n", windows, simulatedPs, events);
        }
    }
}
