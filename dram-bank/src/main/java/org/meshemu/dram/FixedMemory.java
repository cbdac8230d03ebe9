package org.meshemu.dram;

import java.util.function.Supplier;
import org.meshemu.scenario.InputException;

/**
 * {@code fixed}: the fixed-latency memory ({@link MemoryTiming.Fixed}) of {@code hardware.dram}'s
 * {@code latencyCycles} and {@code bytesPerCycle}, for closed-form studies.
 */
public final class FixedMemory implements MemoryModel {
    @Override public String name() { return "fixed"; }

    @Override
    public Supplier<MemoryTiming> timing(DramSpec dram, long cyclePs) {
        if (!dram.overrides().isEmpty()) {
            throw new InputException("hardware.dram.overrides", dram.overrides(), "empty for the fixed model (use latencyCycles and bytesPerCycle)");
        }
        return () -> new MemoryTiming.Fixed(dram.latencyCycles(), dram.bytesPerCycle(), cyclePs);
    }
}
