package org.meshemu.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A scenario: the hardware to emulate, the workload to run on it and how to run it. Built by
 * {@link ScenarioLoader} from YAML over the commented defaults in {@code defaults.yaml}; every
 * record validates its fields on construction.
 *
 * @param workload the workload section as a tree; its {@code kind} names a registered workload,
 *                 which binds the rest to its own record (see {@link ScenarioLoader#bind})
 */
public record Scenario(String name, long seed, Hardware hardware, ObjectNode workload, RunSpec run) {
    public Scenario {
        Check.present("name", name);
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) throw new FieldException("name", "'" + name + "'", "letters, digits, '.', '_' or '-'");
        Check.present("hardware", hardware);
        Check.present("workload", workload);
        if (!workload.hasNonNull("kind")) throw new FieldException("workload.kind", "nothing", "the name of a workload");
        Check.present("run", run);
    }

    /** The emulated chip. */
    public record Hardware(CoreSpec core, NocSpec noc, DramSpec dram) {
        public Hardware {
            Check.present("core", core);
            Check.present("noc", noc);
            Check.present("dram", dram);
        }

        /** The core clock period in picoseconds; cycles of every on-chip parameter are of this clock. */
        public long cyclePs() { return org.meshemu.kernel.Time.periodPs(core.clockGHz()); }
    }

    /** An AI core: clock, SRAM, compute throughput and per-instruction overhead. */
    public record CoreSpec(double clockGHz, int sramKiB, int matrixFlopsPerCycle, int vectorLanes, int instructionOverheadCycles) {
        public CoreSpec {
            Check.positive("clockGHz", clockGHz);
            if (clockGHz > 1000) throw new FieldException("clockGHz", clockGHz, "<= 1000 (a 1 ps period)");
            Check.atLeast("sramKiB", sramKiB, 1);
            Check.atLeast("matrixFlopsPerCycle", matrixFlopsPerCycle, 1);
            Check.atLeast("vectorLanes", vectorLanes, 1);
            Check.atLeast("instructionOverheadCycles", instructionOverheadCycles, 0);
        }

        public long sramBytes() { return sramKiB * 1024L; }
    }

    /**
     * The on-chip network. {@code maxPacketBytes} is the largest packet a network interface puts on
     * the wire: a longer message is split into packets that pipeline across hops; 0 = never split.
     */
    public record NocSpec(String topology, int width, int height, String routing, LinkSpec link,
                          int routerDelayCycles, int injectionCycles, long maxPacketBytes) {
        public NocSpec {
            Check.present("topology", topology);
            Check.atLeast("width", width, 1);
            Check.atLeast("height", height, 1);
            Check.present("routing", routing);
            Check.present("link", link);
            Check.atLeast("routerDelayCycles", routerDelayCycles, 1);
            Check.atLeast("injectionCycles", injectionCycles, 1);
            Check.atLeast("maxPacketBytes", maxPacketBytes, 0L);
        }

        public int nodes() { return width * height; }
    }

    /** One direction of a NoC link. */
    public record LinkSpec(int bytesPerCycle, int latencyCycles) {
        public LinkSpec {
            Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
            Check.atLeast("latencyCycles", latencyCycles, 1);
        }
    }

    /** The DRAM banks next to (or stacked on) each core. */
    public record DramSpec(int banksPerCore, int latencyCycles, int bytesPerCycle, int channelLatencyCycles) {
        public DramSpec {
            Check.atLeast("banksPerCore", banksPerCore, 1);
            Check.atLeast("latencyCycles", latencyCycles, 0);
            Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
            Check.atLeast("channelLatencyCycles", channelLatencyCycles, 1);
        }
    }

    /** How to run: payload mode, partitions, threads, where outputs go. */
    public record RunSpec(String payload, int partitions, int threads, String outputs) {
        public static final List<String> PAYLOADS = List.of("full", "timing");

        public RunSpec {
            Check.oneOf("payload", payload, PAYLOADS);
            Check.atLeast("partitions", partitions, 1);
            Check.atLeast("threads", threads, 0);
        }

        public boolean fullPayload() { return payload.equals("full"); }

        /** Threads to use: the scenario's, or every available processor when it says 0. */
        public int effectiveThreads() { return threads > 0 ? threads : Runtime.getRuntime().availableProcessors(); }
    }
}
