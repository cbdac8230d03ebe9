package org.meshemu.dram;

import java.util.function.Supplier;
import org.meshemu.scenario.InputException;

/**
 * A DRAM standard as a memory model: its organisation and timing ({@link #standard()}), adapted by
 * the scenario's {@code hardware.dram.overrides} and driven by a controller whose
 * {@link DramScheduler} is {@code hardware.dram.scheduler}. Adding one is one class and one line
 * in {@code META-INF/services/org.meshemu.dram.MemoryModel}.
 */
public interface DramPreset extends MemoryModel {
    /** The standard as published (a new, validated record). */
    DramStandard standard();

    @Override
    default Supplier<MemoryTiming> timing(DramSpec dram, long cyclePs) {
        DramStandard standard;
        try {
            standard = standard().withOverrides(dram.overrides());
        } catch (DramConfigException e) {
            // The standard names its parameter; the scenario knows it as an override.
            String message = e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2) : e.getMessage();
            throw new InputException("hardware.dram.overrides." + e.field(), message);
        }
        DramScheduler.Factory scheduler = DramScheduler.REGISTRY.named(dram.scheduler());
        return () -> new MemoryTiming.Standard(standard, scheduler.create(), dram.rowHitCap());
    }
}
