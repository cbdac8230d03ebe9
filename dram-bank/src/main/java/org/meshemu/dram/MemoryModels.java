package org.meshemu.dram;

import java.util.function.Supplier;

/**
 * Turns a scenario's {@code hardware.dram} section into the timing model of each bank: the
 * {@link MemoryModel} named by {@code hardware.dram.preset} ({@code fixed} or a DRAM standard),
 * whose controller, for a standard, orders requests with the {@link DramScheduler} named by
 * {@code hardware.dram.scheduler}. Both are validated once here, so a bad value fails at load
 * naming its path.
 */
public final class MemoryModels {
    private MemoryModels() {}

    /** A factory of fresh timing models (one per bank), or an {@link org.meshemu.scenario.InputException} naming the bad field. */
    public static Supplier<MemoryTiming> of(DramSpec dram, long cyclePs) {
        DramScheduler.REGISTRY.named(dram.scheduler()); // named even when the model has no controller
        return MemoryModel.REGISTRY.named(dram.preset()).timing(dram, cyclePs);
    }
}
