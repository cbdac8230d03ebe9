package org.meshemu.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.meshemu.dram.DramSpec;
import org.meshemu.noc.Fabric;
import org.meshemu.noc.MultiChip;
import org.meshemu.noc.Topology;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.Workload;
import org.meshemu.workloads.Workloads;

/**
 * The heap a run will need, estimated from the scenario alone before anything is planned or built
 * (a scenario too large to fit must be refused in seconds, not after minutes of building): the
 * components of each kind times the live heap one costs, the channels between them, and the
 * tensors of a full payload.
 *
 * @param components  components by kind (core, router, link, bank, or the workload's endpoint kind)
 * @param channels    channels between components
 * @param payloadBytes the workload's tensors (full payload only)
 */
public record HeapEstimate(Map<String, Long> components, long channels, long payloadBytes) {
    /**
     * Live heap per component once every component is started, by kind, in bytes, each with its
     * share of the kernel's and Pekko's per-actor objects (about 1.2 kB) but without its channels.
     * Measured with tests/.../bench/HeapCensus on timing-mode GEMVs of 32 x 32 (one and four banks
     * per core) and 64 x 64 cores and uniform traffic on 32 x 32 and 1024 x 1 meshes, by the live
     * heap after a full collection; the core and the router, always one each per node, are split
     * by their own objects in a class histogram.
     */
    static final Map<String, Long> BYTES_PER_COMPONENT = Map.of(
            "core", 1_800L, "router", 1_600L, "link", 1_230L, "bank", 1_200L, "traffic", 1_300L);
    /** A kind not measured yet is costed as the largest measured one. */
    static final long BYTES_PER_OTHER_COMPONENT = 1_800;
    /** A channel: its record in the assembly, its edge and its port entries (the all-to-all fan-out). */
    static final long BYTES_PER_CHANNEL = 100;
    /** The JVM's and Pekko's own live heap, before any component: measured at about 7 MiB. */
    static final long BASE_BYTES = 8L << 20;

    public static HeapEstimate of(LoadedScenario loaded) {
        Scenario.Hardware hw = loaded.scenario().hardware();
        Fabric fabric = Fabric.of(hw);
        Workload.Footprint footprint = Workloads.of(loaded).footprint(loaded);
        Topology.Census network;
        try {
            network = MultiChip.census(fabric);
        } catch (InputException e) {
            throw e.getMessage().startsWith(loaded.source()) ? e : new InputException(loaded.source(), e.getMessage());
        }
        long endpoints = (long) fabric.chips().count() * fabric.noc().width() * fabric.noc().height();
        long banks = footprint.banks() ? endpoints * hw.get(DramSpec.class).banksPerCore() : 0;
        Map<String, Long> components = new LinkedHashMap<>();
        components.put(footprint.endpointKind(), endpoints);
        components.put("router", network.routers());
        components.put("link", network.links());
        if (banks > 0) components.put("bank", banks);
        return new HeapEstimate(components, network.channels() + 2 * banks, footprint.payloadBytes());
    }

    public long totalComponents() {
        return components.values().stream().mapToLong(Long::longValue).sum();
    }

    public long bytes() {
        long total = BASE_BYTES + channels * BYTES_PER_CHANNEL + payloadBytes;
        for (var e : components.entrySet()) total += e.getValue() * BYTES_PER_COMPONENT.getOrDefault(e.getKey(), BYTES_PER_OTHER_COMPONENT);
        return total;
    }

    /** "estimated heap 1.2 GiB of 7.8 GiB available (...)". */
    public String describe(long availableBytes) {
        String kinds = components.entrySet().stream().map(e -> String.format("%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining(", "));
        return "estimated heap " + gib(bytes()) + " of " + gib(availableBytes) + " available (" + kinds
                + (payloadBytes > 0 ? ", " + gib(payloadBytes) + " of tensors" : "") + ")";
    }

    /** Refuses, naming the scenario and saying what to change, a run whose estimate exceeds {@code availableBytes}. */
    public void requireFits(String source, long availableBytes, boolean fullPayload) {
        if (bytes() <= availableBytes) return;
        long suggestGiB = (long) Math.ceil(bytes() * 1.25 / (1L << 30));
        throw new InputException(source, describe(availableBytes) + ": the run cannot fit this JVM's heap; "
                + (fullPayload && payloadBytes > 0 ? "set run.payload: timing (shapes only, no tensors), " : "")
                + "give the JVM more heap with MESHEMU_JAVA_OPTS=-Xmx" + suggestGiB + "g, use fewer cores, or spread it over machines (--nodes N, on a cluster)");
    }

    /** {@code bytes} in GiB, or MiB below one GiB, with one decimal, as the estimate prints them. */
    public static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30)) : String.format("%.1f MiB", bytes / (double) (1L << 20));
    }
}
