package org.meshemu.aicore;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * An AI core: clock, SRAM capacity and bandwidth, the throughput of each unit and the per-instruction
 * overhead. {@code matrixFlopsPerCycle} is the matrix unit's rate by operand dtype (keys are
 * {@link org.meshemu.tensor.DType#key()} names; a product on a dtype with no entry fails when it
 * runs); {@code sramBytesPerCycle} bounds every compute instruction by the bytes it moves;
 * {@code lutGroupSize} (g) and {@code lutLookupsPerCycle} are the LUT-GEMM unit's (see docs/TIMING.md).
 */
public record CoreSpec(double clockGHz, int sramKiB, java.util.Map<String, Integer> matrixFlopsPerCycle, int vectorLanes,
                       int instructionOverheadCycles, int sramBytesPerCycle, int lutGroupSize, int lutLookupsPerCycle) {
    /** The largest LUT group: 2^(g-1) table entries per group, each a sum of g int8 values. */
    public static final int MAX_LUT_GROUP = 8;

    public CoreSpec {
        Check.positive("clockGHz", clockGHz);
        if (clockGHz > 1000) throw new FieldException("clockGHz", clockGHz, "<= 1000 (a 1 ps period)");
        Check.atLeast("sramKiB", sramKiB, 1);
        Check.present("matrixFlopsPerCycle", matrixFlopsPerCycle);
        // operand types only: UINT8 is a checkpoint's raw bytes, never a matrix operand
        List<String> dtypes = java.util.Arrays.stream(org.meshemu.tensor.DType.values()).filter(t -> t != org.meshemu.tensor.DType.UINT8)
                .map(org.meshemu.tensor.DType::key).toList();
        for (var e : matrixFlopsPerCycle.entrySet()) {
            Check.oneOf("matrixFlopsPerCycle." + e.getKey() + " (the key)", e.getKey(), dtypes);
            Check.atLeast("matrixFlopsPerCycle." + e.getKey(), e.getValue() == null ? 0 : e.getValue(), 1);
        }
        matrixFlopsPerCycle = java.util.Map.copyOf(matrixFlopsPerCycle);
        Check.atLeast("vectorLanes", vectorLanes, 1);
        Check.atLeast("instructionOverheadCycles", instructionOverheadCycles, 0);
        Check.atLeast("sramBytesPerCycle", sramBytesPerCycle, 1);
        Check.atLeast("lutGroupSize", lutGroupSize, 1);
        if (lutGroupSize > MAX_LUT_GROUP) throw new FieldException("lutGroupSize", lutGroupSize, "<= " + MAX_LUT_GROUP);
        Check.atLeast("lutLookupsPerCycle", lutLookupsPerCycle, 1);
    }

    public long sramBytes() { return sramKiB * 1024L; }

    /** The core clock period in picoseconds; cycles of every on-chip parameter are of this clock. */
    public long cyclePs() { return org.meshemu.kernel.Time.periodPs(clockGHz); }

    /** The {@code hardware.core} section, registered in META-INF/services/org.meshemu.scenario.Section. */
    public static final class Section extends org.meshemu.scenario.Section<CoreSpec> {
        public Section() { super("hardware.core", CoreSpec.class); }
    }
}
