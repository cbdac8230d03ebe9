package org.meshemu.workloads.generate;

import org.meshemu.scenario.Registry;

/**
 * The registry of expert placements by scenario name ({@code workload.experts}): the
 * {@link ExpertPlacement}s listed in {@code META-INF/services/org.meshemu.workloads.generate.ExpertPlacement}.
 */
public final class ExpertPlacements {
    public static final Registry<ExpertPlacement> REGISTRY = Registry.of(ExpertPlacement.class, "workload.experts");

    private ExpertPlacements() {}

    /** The placement named {@code name} (placements keep no state, so one serves every lowering). */
    public static ExpertPlacement named(String name) {
        return REGISTRY.named(name);
    }
}
