package org.meshemu.workloads.generate;

import org.meshemu.scenario.Registry;

/**
 * The registry of projection mappings by scenario name ({@code workload.mapping}): the
 * {@link MatVecMapping}s listed in {@code META-INF/services/org.meshemu.workloads.generate.MatVecMapping}.
 */
public final class Mappings {
    public static final Registry<MatVecMapping> REGISTRY = Registry.of(MatVecMapping.class, "workload.mapping");

    private Mappings() {}

    /** The mapping named {@code name} (mappings keep no state, so one serves every lowering). */
    public static MatVecMapping named(String name) {
        return REGISTRY.named(name);
    }
}
