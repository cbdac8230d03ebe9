package org.meshemu.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A scenario: the hardware to emulate, the workload to run on it and how to run it. Built by
 * {@link ScenarioLoader} from YAML over the commented defaults in {@code defaults.yaml}; every
 * record validates its fields on construction.
 *
 * @param model    the model section as a tree (empty when the scenario has none): a model family
 *                 and its weights, bound by the workloads module (model: {family, checkpoint} or
 *                 {family, config, seed}); only workloads that run a model read it
 * @param workload the workload section as a tree; its {@code kind} names a registered workload,
 *                 which binds the rest to its own record (see {@link ScenarioLoader#bind})
 */
public record Scenario(String name, long seed, Hardware hardware, ObjectNode model, ObjectNode workload, RunSpec run) {
    public static final int MAX_NAME_LENGTH = 200;
    /** Cores of a whole system: component ids are ints and a core brings up to seven components with it. */
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
     * The emulated system: one or more identical chips of cores, each with its NoC and DRAM.
     * {@code preset} names the scenarios/presets/ file laid under this section ("" for none).
     */
    public record Hardware(String preset, CoreSpec core, NocSpec noc, DramSpec dram, ChipsSpec chips, EnergySpec energy) {
        public Hardware {
            Check.present("preset", preset);
            Check.present("core", core);
            Check.present("noc", noc);
            Check.present("dram", dram);
            Check.present("chips", chips);
            Check.present("energy", energy);
            long cores = (long) chips.count() * noc.width() * noc.height();
            if (cores > MAX_CORES) {
                throw new FieldException("noc", chips.count() + " chips x " + noc.width() + " x " + noc.height() + " = " + cores + " cores",
                        "at most " + MAX_CORES + " cores in all");
            }
        }

        /** The core clock period in picoseconds; cycles of every on-chip parameter are of this clock. */
        public long cyclePs() { return org.meshemu.kernel.Time.periodPs(core.clockGHz()); }

        /** Network endpoints (cores) of the whole system, numbered chip-major: chip * noc.nodes() + on-chip node. */
        public int endpoints() { return Math.multiplyExact(chips.count(), noc.nodes()); }

        /** The label of the {@code kind} component at endpoint {@code n}: "core(x,y)", "chip2.core(x,y)" with several chips. */
        public String endpointLabel(String kind, int n) {
            int local = n % noc.nodes();
            String at = kind + "(" + local % noc.width() + "," + local / noc.width() + ")";
            return chips.count() == 1 ? at : "chip" + n / noc.nodes() + "." + at;
        }
    }

    /**
     * Several chips joined by chip-to-chip links. {@code topology} arranges the chips: ring, mesh2d
     * or torus2d ({@code width} chips per row; 0 = all in one row), or all-to-all (a link from
     * every chip to every other). {@code ports} places each chip's link ports on its routers: keys
     * east, west, north, south (grid arrangements) or gateway (all-to-all), values the on-chip
     * node (y * noc.width + x); unnamed ports sit at the middle of their edge (gateway: the centre).
     * All-to-all chips take no ports: every exchange port drives the chip links.
     */
    public record ChipsSpec(int count, String topology, int width, ChipLinkSpec link, java.util.Map<String, Integer> ports) {
        public static final List<String> PORTS = List.of("east", "west", "north", "south", "gateway");

        public ChipsSpec {
            Check.atLeast("count", count, 1);
            Check.present("topology", topology); // a name of the noc module's chip arrangements, checked when wiring
            Check.atLeast("width", width, 0);
            if (width > 0 && count % width != 0) throw new FieldException("width", width, "a divisor of count " + count);
            Check.present("link", link);
            Check.present("ports", ports);
            for (var e : ports.entrySet()) {
                Check.oneOf("ports." + e.getKey() + " (the key)", e.getKey(), PORTS);
                Check.atLeast("ports." + e.getKey(), e.getValue() == null ? -1 : e.getValue(), 0);
            }
            if (count > 1) link.requireComplete();
            ports = java.util.Map.copyOf(ports);
        }

        /** Chips per row of a grid arrangement. */
        public int rowWidth() { return width == 0 ? count : width; }
    }

    /**
     * One direction of a chip-to-chip link: bandwidth as bandwidthGBps (decimal GB/s, up to three
     * decimals) or bytesPerCycle, latency as latencyNs or latencyCycles; exactly one of each pair.
     */
    public record ChipLinkSpec(Double bandwidthGBps, Integer bytesPerCycle, Double latencyNs, Integer latencyCycles) {
        public ChipLinkSpec {
            if (bandwidthGBps != null && bytesPerCycle != null) throw new FieldException("bandwidthGBps", bandwidthGBps, "absent when bytesPerCycle is given");
            if (latencyNs != null && latencyCycles != null) throw new FieldException("latencyNs", latencyNs, "absent when latencyCycles is given");
            if (bandwidthGBps != null && !(Math.round(bandwidthGBps * 1000) >= 1)) throw new FieldException("bandwidthGBps", bandwidthGBps, ">= 0.001");
            if (bytesPerCycle != null) Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
            if (latencyNs != null && !(Math.round(latencyNs * 1000) >= 1)) throw new FieldException("latencyNs", latencyNs, ">= 0.001 (1 ps)");
            if (latencyCycles != null) Check.atLeast("latencyCycles", latencyCycles, 1);
        }

        void requireComplete() {
            if (bandwidthGBps == null && bytesPerCycle == null) throw new FieldException("link.bandwidthGBps", "nothing", "given (or bytesPerCycle) when count > 1");
            if (latencyNs == null && latencyCycles == null) throw new FieldException("link.latencyNs", "nothing", "given (or latencyCycles) when count > 1");
        }

        /** The latency in picoseconds. */
        public long latencyPs(long cyclePs) {
            return latencyCycles != null ? latencyCycles * cyclePs : Math.round(latencyNs * 1000);
        }
    }

    /**
     * An AI core: clock, SRAM capacity and bandwidth, the throughput of each unit and the per-instruction
     * overhead. {@code matrixFlopsPerCycle} is the matrix unit's rate by operand dtype (keys are
     * {@link org.meshemu.tensor.DType#key()} names; a product on a dtype with no entry fails when it
     * runs); {@code sramBytesPerCycle} bounds every compute instruction by the bytes it moves;
     * {@code lutGroupSize} (g) and {@code lutLookupsPerCycle} are the LUT-GEMM unit's (see docs/TIMING.md).
     */
    public record CoreSpec(double clockGHz, int sramKiB, java.util.Map<String, Integer> matrixFlopsPerCycle, int vectorLanes,
                           int instructionOverheadCycles, int sramBytesPerCycle, int lutGroupSize, int lutLookupsPerCycle) {
        /** The largest LUT group: 2^(g-1) table entries per group, each a sum of g int8 values. */
        public static final int MAX_LUT_GROUP = 8;

        public CoreSpec {
            Check.positive("clockGHz", clockGHz);
            if (clockGHz > 1000) throw new FieldException("clockGHz", clockGHz, "<= 1000 (a 1 ps period)");
            Check.atLeast("sramKiB", sramKiB, 1);
            Check.present("matrixFlopsPerCycle", matrixFlopsPerCycle);
            List<String> dtypes = java.util.Arrays.stream(org.meshemu.tensor.DType.values()).map(org.meshemu.tensor.DType::key).toList();
            for (var e : matrixFlopsPerCycle.entrySet()) {
                Check.oneOf("matrixFlopsPerCycle." + e.getKey() + " (the key)", e.getKey(), dtypes);
                Check.atLeast("matrixFlopsPerCycle." + e.getKey(), e.getValue() == null ? 0 : e.getValue(), 1);
            }
            matrixFlopsPerCycle = java.util.Map.copyOf(matrixFlopsPerCycle);
            Check.atLeast("vectorLanes", vectorLanes, 1);
            Check.atLeast("instructionOverheadCycles", instructionOverheadCycles, 0);
            Check.atLeast("sramBytesPerCycle", sramBytesPerCycle, 1);
            Check.atLeast("lutGroupSize", lutGroupSize, 1);
            if (lutGroupSize > MAX_LUT_GROUP) throw new FieldException("lutGroupSize", lutGroupSize, "<= " + MAX_LUT_GROUP);
            Check.atLeast("lutLookupsPerCycle", lutLookupsPerCycle, 1);
        }

        public long sramBytes() { return sramKiB * 1024L; }
    }

    /**
     * The on-chip network. {@code maxPacketBytes} is the largest packet a network interface puts on
     * the wire: a longer message is split into packets that pipeline across hops; 0 = never split.
     * {@code bufferPackets} is each router input's buffer, in packets, enforced by credits; 0 =
     * unbounded, no credits. {@code flowControl} names how the ideal router's links move a packet
     * (store-and-forward, cut-through) and {@code router} the router model (ideal, vc), both
     * registered by name in the noc module, which checks them when it wires the network; {@code vc}
     * configures the vc router.
     */
    public record NocSpec(String topology, int width, int height, String routing, LinkSpec link,
                          int routerDelayCycles, int injectionCycles, long maxPacketBytes, int bufferPackets,
                          String flowControl, String router, VcSpec vc) {
        public NocSpec {
            Check.present("topology", topology);
            Check.atLeast("width", width, 1);
            Check.atLeast("height", height, 1);
            Check.present("routing", routing);
            Check.present("link", link);
            Check.atLeast("routerDelayCycles", routerDelayCycles, 1);
            Check.atLeast("injectionCycles", injectionCycles, 1);
            Check.atLeast("maxPacketBytes", maxPacketBytes, 0L);
            Check.atLeast("bufferPackets", bufferPackets, 0);
            Check.present("flowControl", flowControl);
            Check.present("router", router);
            Check.present("vc", vc);
        }

        /** A network that never splits, has unbounded buffers and the ideal store-and-forward router. */
        public NocSpec(String topology, int width, int height, String routing, LinkSpec link, int routerDelayCycles, int injectionCycles) {
            this(topology, width, height, routing, link, routerDelayCycles, injectionCycles, 0, 0);
        }

        /** The ideal store-and-forward router with these packets and buffers. */
        public NocSpec(String topology, int width, int height, String routing, LinkSpec link, int routerDelayCycles, int injectionCycles,
                       long maxPacketBytes, int bufferPackets) {
            this(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets,
                    "store-and-forward", "ideal", VcSpec.BOOKSIM);
        }

        public int nodes() { return Math.multiplyExact(width, height); } // Hardware bounds width x height

        public NocSpec withFlowControl(String f) {
            return new NocSpec(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets, f, router, vc);
        }

        public NocSpec withRouter(String r, VcSpec v) {
            return new NocSpec(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets, flowControl, r, v);
        }
    }

    /**
     * The input-queued virtual-channel router ({@code hardware.noc.router: vc}), in BookSim2's
     * vocabulary: {@code count} virtual channels per input, each a buffer of {@code bufferFlits}
     * flits (a flit is the link's bytesPerCycle) under credit flow control; {@code allocator} names
     * the separable VC and switch allocators (registered in the noc module); {@code iterations}
     * their iterations per cycle.
     */
    public record VcSpec(int count, int bufferFlits, String allocator, int iterations, VcPipeline pipeline) {
        /** BookSim2's iq router defaults, except 8 VCs of 8 flits. */
        public static final VcSpec BOOKSIM = new VcSpec(8, 8, "islip", 1, VcPipeline.BOOKSIM);

        public VcSpec {
            Check.atLeast("count", count, 1);
            Check.atLeast("bufferFlits", bufferFlits, 1);
            Check.present("allocator", allocator);
            Check.atLeast("iterations", iterations, 1);
            Check.present("pipeline", pipeline);
        }

        public VcSpec withCount(int c) { return new VcSpec(c, bufferFlits, allocator, iterations, pipeline); }
    }

    /**
     * The vc router's pipeline in cycles, as BookSim2's routing_delay, vc_alloc_delay,
     * sw_alloc_delay, st_prepare_delay, st_final_delay and credit_delay.
     */
    public record VcPipeline(int routingDelay, int vcAllocDelay, int swAllocDelay, int stPrepareDelay, int stFinalDelay, int creditDelay) {
        public static final VcPipeline BOOKSIM = new VcPipeline(1, 1, 1, 0, 1, 0);

        public VcPipeline {
            Check.atLeast("routingDelay", routingDelay, 0);
            Check.atLeast("vcAllocDelay", vcAllocDelay, 0);
            Check.atLeast("swAllocDelay", swAllocDelay, 1);
            Check.atLeast("stPrepareDelay", stPrepareDelay, 0);
            Check.atLeast("stFinalDelay", stFinalDelay, 1);
            Check.atLeast("creditDelay", creditDelay, 0);
        }
    }

    /** One direction of a NoC link. */
    public record LinkSpec(int bytesPerCycle, int latencyCycles) {
        public LinkSpec {
            Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
            Check.atLeast("latencyCycles", latencyCycles, 1);
        }
    }

    /**
     * The DRAM banks next to (or stacked on) each core. {@code preset} names the timing model:
     * {@code fixed} (latencyCycles and bytesPerCycle, in core cycles) or a DRAM standard
     * ({@code stacked-3d-bank}, {@code hbm3-channel}) whose parameters {@code overrides} replaces
     * by their standard names (nRCD, nCL, ...); a standard's controller orders requests with
     * {@code scheduler} ({@code frfcfs} or {@code fcfs}, validated by the dram-bank module), letting
     * at most {@code rowHitCap} younger row hits pass a bank's oldest request.
     */
    public record DramSpec(String preset, java.util.Map<String, Double> overrides, String scheduler, int rowHitCap,
                           int banksPerCore, int latencyCycles, int bytesPerCycle, int channelLatencyCycles) {
        public DramSpec {
            Check.present("preset", preset);
            Check.present("scheduler", scheduler);
            Check.atLeast("rowHitCap", rowHitCap, 1);
            overrides = overrides == null ? java.util.Map.of() : java.util.Map.copyOf(overrides);
            Check.atLeast("banksPerCore", banksPerCore, 1);
            Check.atLeast("latencyCycles", latencyCycles, 0);
            Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
            Check.atLeast("channelLatencyCycles", channelLatencyCycles, 1);
        }
    }

    /**
     * First-order energy: dynamic energy per operation and per bit moved, static power per core,
     * and the core's area (for power density). Units are in the names.
     */
    public record EnergySpec(java.util.Map<String, Double> pjPerFlop, double pjPerVectorElement, double pjPerBitHop,
                             double pjPerBitDramRead, double pjPerBitDramWrite, double pjPerActivate,
                             double staticMilliwattsPerCore, double coreAreaMm2) {
        public EnergySpec {
            Check.present("pjPerFlop", pjPerFlop);
            pjPerFlop = java.util.Map.copyOf(pjPerFlop);
            pjPerFlop.forEach((dtype, pj) -> {
                if (!(pj >= 0)) throw new FieldException("pjPerFlop." + dtype, pj, ">= 0");
            });
            for (var f : java.util.Map.of("pjPerVectorElement", pjPerVectorElement, "pjPerBitHop", pjPerBitHop,
                    "pjPerBitDramRead", pjPerBitDramRead, "pjPerBitDramWrite", pjPerBitDramWrite, "pjPerActivate", pjPerActivate,
                    "staticMilliwattsPerCore", staticMilliwattsPerCore).entrySet()) {
                if (!(f.getValue() >= 0)) throw new FieldException(f.getKey(), f.getValue(), ">= 0");
            }
            Check.positive("coreAreaMm2", coreAreaMm2);
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

        /** Threads to use: the scenario's, or every available processor when it says 0. */
        public int effectiveThreads() { return threads > 0 ? threads : Runtime.getRuntime().availableProcessors(); }
    }
}
