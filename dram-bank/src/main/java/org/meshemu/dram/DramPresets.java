package org.meshemu.dram;

import java.util.List;

/**
 * The DRAM standards among the {@link MemoryModel}s: every {@link DramPreset} registered there is a
 * complete, validated standard with its sources ({@link Stacked3dBank}, {@link Hbm3Channel});
 * callers adapt one with {@link DramStandard#withOverrides} rather than writing a standard from
 * scratch, so the numbers and their sources live in one place.
 */
public final class DramPresets {

    /** Registry name of the per-core stacked DRAM preset. */
    public static final String STACKED_3D_BANK = "stacked-3d-bank";
    /** Registry name of the HBM3 pseudo-channel preset. */
    public static final String HBM3_CHANNEL = "hbm3-channel";

    private DramPresets() {
    }

    /** Registered DRAM standard names, sorted. */
    public static List<String> names() {
        return MemoryModel.REGISTRY.all().stream().filter(m -> m instanceof DramPreset).map(MemoryModel::name).toList();
    }

    /** The standard {@code name}; an unknown name is the registry's error on {@code hardware.dram.preset}. */
    public static DramStandard get(String name) {
        if (MemoryModel.REGISTRY.named(name) instanceof DramPreset preset) return preset.standard();
        throw new IllegalArgumentException("memory model '" + name + "' is not a DRAM standard; standards: " + names());
    }
}
