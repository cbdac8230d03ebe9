package org.meshemu.workloads.generate;

import org.meshemu.scenario.Registry;

/**
 * The registry of expert placement policies by scenario name ({@code workload.placementPolicy.kind}): the
 * {@link PlacementPolicy}s listed in {@code META-INF/services/org.meshemu.workloads.generate.PlacementPolicy}.
 */
public final class PlacementPolicies {
    public static final Registry<PlacementPolicy> REGISTRY = Registry.of(PlacementPolicy.class, "workload.placementPolicy.kind");

    private PlacementPolicies() {}

    /** The policy named {@code name} (policies keep no state between plans). */
    public static PlacementPolicy named(String name) {
        return REGISTRY.named(name);
    }
}
