package org.meshemu.dram;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The DRAM banks next to (or stacked on) each core. {@code preset} names the timing model:
 * {@code fixed} (latencyCycles and bytesPerCycle, in core cycles) or a DRAM standard
 * ({@code stacked-3d-bank}, {@code hbm3-channel}) whose parameters {@code overrides} replaces
 * by their standard names (nRCD, nCL, ...); a standard's controller orders requests with
 * {@code scheduler} ({@code frfcfs} or {@code fcfs}, validated by the dram-bank module), letting
 * at most {@code rowHitCap} younger row hits pass a bank's oldest request.
 */
public record DramSpec(String preset, java.util.Map<String, Double> overrides, String scheduler, int rowHitCap,
                       int banksPerCore, int latencyCycles, int bytesPerCycle, int channelLatencyCycles) {
    public DramSpec {
        Check.present("preset", preset);
        Check.present("scheduler", scheduler);
        Check.atLeast("rowHitCap", rowHitCap, 1);
        overrides = overrides == null ? java.util.Map.of() : java.util.Map.copyOf(overrides);
        Check.atLeast("banksPerCore", banksPerCore, 1);
        Check.atLeast("latencyCycles", latencyCycles, 0);
        Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
        Check.atLeast("channelLatencyCycles", channelLatencyCycles, 1);
    }

    /** The {@code hardware.dram} section, registered in META-INF/services/org.meshemu.scenario.Section. */
    public static final class Section extends org.meshemu.scenario.Section<DramSpec> {
        public Section() { super("hardware.dram", DramSpec.class); }
    }
}
