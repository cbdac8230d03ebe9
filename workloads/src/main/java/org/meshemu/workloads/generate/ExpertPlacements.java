package org.meshemu.workloads.generate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The registry of expert placements by scenario name ({@code workload.experts}). */
public final class ExpertPlacements {
    private static final Map<String, Supplier<ExpertPlacement>> BY_NAME = new TreeMap<>(Map.of(
            "sliced", SlicedExperts::new,
            "grouped", GroupedExperts::new));

    /** The registered names, for validation messages. */
    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private ExpertPlacements() {}

    /** The placement named {@code name}; the caller has validated it against {@link #NAMES}. */
    public static ExpertPlacement named(String name) {
        Supplier<ExpertPlacement> p = BY_NAME.get(name);
        if (p == null) throw new IllegalArgumentException("no expert placement " + name + "; registered: " + NAMES);
        return p.get();
    }
}
