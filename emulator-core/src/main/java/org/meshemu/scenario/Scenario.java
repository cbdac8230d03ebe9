package org.meshemu.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A scenario: the hardware to emulate, the workload to run on it and how to run it. Built by
 * {@link ScenarioLoader} from YAML over the commented defaults every module ships; every record
 * validates its fields on construction.
 *
 * @param model    the model section as a tree (empty when the scenario has none): a model family
 *                 and its weights, bound by the workloads module (model: {family, checkpoint} or
 *                 {family, config, seed}); only workloads that run a model read it
 * @param workload the workload section as a tree; its {@code kind} names a registered workload,
 *                 which binds the rest to its own record (see {@link ScenarioLoader#bind})
 */
public record Scenario(String name, long seed, Hardware hardware, ObjectNode model, ObjectNode workload, RunSpec run) {
    public static final int MAX_NAME_LENGTH = 200;
    /**
     * Cores of a whole system: component ids are ints and a core brings up to seven components with
     * it (the noc module, which knows the system's shape, checks it).
     */
    public static final long MAX_CORES = 1L << 27;

    public Scenario {
        Check.present("model", model);
        Check.present("name", name);
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) throw new FieldException("name", "'" + name + "'", "letters, digits, '.', '_' or '-'");
        // it names the output directory, and file names are at most 255 bytes (with room for out/<name>.N)
        if (name.length() > MAX_NAME_LENGTH) throw new FieldException("name", name.length() + " characters", "at most " + MAX_NAME_LENGTH + " characters");
        Check.present("hardware", hardware);
        Check.present("workload", workload);
        if (!workload.hasNonNull("kind")) throw new FieldException("workload.kind", "nothing", "the name of a workload");
        Check.present("run", run);
    }

    /**
     * The emulated system: one or more identical chips of cores, each with its NoC and DRAM, as
     * sections owned by the modules that model them ({@link Section}: {@code hardware.core},
     * {@code hardware.noc}, ...). {@code preset} names the scenarios/presets/ file laid under this
     * section ("" for none).
     */
    public record Hardware(String preset, java.util.Map<Class<?>, Record> sections) {
        public Hardware {
            Check.present("preset", preset);
            sections = java.util.Map.copyOf(sections);
        }

        /** The bound section of record type {@code type}; its module registered it. */
        public <T extends Record> T get(Class<T> type) {
            Record r = sections.get(type);
            if (r == null) throw new IllegalStateException("no hardware section binds to " + type.getName() + " (is its module on the class path?)");
            return type.cast(r);
        }
    }

    /**
     * How to run: payload mode, partitions (0: chosen by the placement), threads, where outputs go,
     * and a checkpoint every {@code checkpointEvery} local windows of a partition (0: none).
     */
    public record RunSpec(String payload, int partitions, int threads, String outputs, int checkpointEvery) {
        public static final List<String> PAYLOADS = List.of("full", "timing");

        public RunSpec {
            Check.oneOf("payload", payload, PAYLOADS);
            Check.atLeast("partitions", partitions, 0);
            Check.atLeast("threads", threads, 0);
            Check.atLeast("checkpointEvery", checkpointEvery, 0);
        }

        public boolean fullPayload() { return payload.equals("full"); }

        /** Threads to use: the scenario's, or {@link #defaultThreads} when it says 0. */
        public int effectiveThreads() { return threads > 0 ? threads : defaultThreads(); }

        /** Threads a run takes unless told otherwise: every available processor. */
        public static int defaultThreads() { return Runtime.getRuntime().availableProcessors(); }
    }
}
