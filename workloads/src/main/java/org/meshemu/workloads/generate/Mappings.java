package org.meshemu.workloads.generate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The registry of projection mappings by scenario name. */
public final class Mappings {
    private static final Map<String, Supplier<MatVecMapping>> BY_NAME = new TreeMap<>(Map.of(
            "auto", AutoMapping::new,
            "compute-shift", ComputeShift::new,
            "row-split", RowSplit::new,
            "tree-reduce", TreeReduce::new));

    /** The registered names, for validation messages. */
    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private Mappings() {}

    /** The mapping named {@code name}; the caller has validated it against {@link #NAMES}. */
    public static MatVecMapping named(String name) {
        Supplier<MatVecMapping> m = BY_NAME.get(name);
        if (m == null) throw new IllegalArgumentException("no mapping " + name + "; registered: " + NAMES);
        return m.get();
    }
}
