package org.meshemu.dram;

import java.util.function.Supplier;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A memory model by the name {@code hardware.dram.preset} gives it: {@link FixedMemory fixed} or
 * a DRAM standard ({@link DramPreset}). Registered in {@link #REGISTRY}: one class and one line in
 * {@code META-INF/services/org.meshemu.dram.MemoryModel}.
 */
public interface MemoryModel extends Named {
    /** Memory models by scenario name. */
    Registry<MemoryModel> REGISTRY = Registry.of(MemoryModel.class, "hardware.dram.preset");

    /**
     * A factory of fresh timing models (one per bank) for the scenario's {@code hardware.dram}
     * section, validated here: a bad field is an {@link org.meshemu.scenario.InputException} naming it.
     */
    Supplier<MemoryTiming> timing(DramSpec dram, long cyclePs);
}
