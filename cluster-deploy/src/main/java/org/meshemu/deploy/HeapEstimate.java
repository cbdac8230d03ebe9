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
     * share of the kernel's and Pekko's per-actor objects (about 500 B) but without its channels,
     * with the launcher's JVM options (compact object headers: about a sixth more without them).
     * Measured with tests/.../bench/HeapCensus by the live heap after a full collection, less the
     * heap guard's reserve, on timing-mode GEMVs on the wse2-like preset at 128 x 128 cores (one and
     * four banks a core) and uniform traffic on 128 x 128 and 16384 x 1 meshes (docs/PERFORMANCE.md,
     * "The heap estimate's prices"): a link by the two meshes' difference (with its share of its
     * routers' ports), a bank by the two GEMVs'. A core and its router, always one each a node, are
     * split by their own objects in a class histogram (the router about 150 B above the 500 shared).
     * Each is 48 B below that measurement since an actor's name became one of its block's shared
     * names (a string and its bytes less a component). {@code ResourceGuardTest} checks them against a
     * started run.
     */
    static final Map<String, Long> BYTES_PER_COMPONENT = Map.of(
            "core", 1_742L, "router", 652L, "link", 762L, "bank", 992L, "traffic", 1_142L);
    /** A kind not measured yet is costed as the largest measured one. */
    static final long BYTES_PER_OTHER_COMPONENT = 1_742;
    /** A channel: its record in the assembly and its entries in its two components' port arrays. */
    static final long BYTES_PER_CHANNEL = 40;
    /** The JVM's and Pekko's own live heap, before any component: measured at about 11.5 MiB. */
    static final long BASE_BYTES = 12L << 20;

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
