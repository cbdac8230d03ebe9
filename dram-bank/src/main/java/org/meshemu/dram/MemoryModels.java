package org.meshemu.dram;

import java.util.function.Supplier;
import org.meshemu.scenario.InputException;

/**
 * Turns a scenario's {@code hardware.dram} section into the timing model of each bank: the name
 * {@code fixed} or any registered {@link DramPresets DRAM standard}, whose controller orders
 * requests with the {@link DramScheduler} named by {@code hardware.dram.scheduler}. The standard
 * and the scheduler are validated once here, so a bad value fails at load naming its path.
 */
public final class MemoryModels {
    public static final String FIXED = "fixed";

    private MemoryModels() {}

    /** A factory of fresh timing models (one per bank), or an {@link InputException} naming the bad field. */
    public static Supplier<MemoryTiming> of(DramSpec dram, long cyclePs) {
        if (!DramScheduler.REGISTRY.containsKey(dram.scheduler())) {
            throw new InputException("hardware.dram.scheduler", "'" + dram.scheduler() + "'", "one of " + DramScheduler.names());
        }
        if (dram.preset().equals(FIXED)) {
            if (!dram.overrides().isEmpty()) {
                throw new InputException("hardware.dram.overrides", dram.overrides(), "empty for the fixed model (use latencyCycles and bytesPerCycle)");
            }
            return () -> new MemoryTiming.Fixed(dram.latencyCycles(), dram.bytesPerCycle(), cyclePs);
        }
        DramStandard standard;
        try {
            standard = DramStandard.preset(dram.preset(), dram.overrides());
        } catch (DramConfigException e) {
            String path = e.field().equals("preset") ? "hardware.dram.preset" : "hardware.dram.overrides." + e.field();
            String message = e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2) : e.getMessage();
            if (e.field().equals("preset")) message = message.replace("[", "[" + FIXED + ", ");
            throw new InputException(path, message);
        }
        return () -> new MemoryTiming.Standard(standard, DramScheduler.named(dram.scheduler()), dram.rowHitCap());
    }
}
