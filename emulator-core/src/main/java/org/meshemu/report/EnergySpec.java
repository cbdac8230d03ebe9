package org.meshemu.report;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * First-order energy: dynamic energy per operation and per bit moved, static power per core,
 * and the core's area (for power density). Units are in the names.
 */
public record EnergySpec(java.util.Map<String, Double> pjPerFlop, double pjPerVectorElement, double pjPerBitHop,
                         double pjPerBitDramRead, double pjPerBitDramWrite, double pjPerActivate,
                         double staticMilliwattsPerCore, double coreAreaMm2) {
    public EnergySpec {
        Check.present("pjPerFlop", pjPerFlop);
        pjPerFlop = java.util.Map.copyOf(pjPerFlop);
        pjPerFlop.forEach((dtype, pj) -> {
            if (!(pj >= 0)) throw new FieldException("pjPerFlop." + dtype, pj, ">= 0");
        });
        for (var f : java.util.Map.of("pjPerVectorElement", pjPerVectorElement, "pjPerBitHop", pjPerBitHop,
                "pjPerBitDramRead", pjPerBitDramRead, "pjPerBitDramWrite", pjPerBitDramWrite, "pjPerActivate", pjPerActivate,
                "staticMilliwattsPerCore", staticMilliwattsPerCore).entrySet()) {
            if (!(f.getValue() >= 0)) throw new FieldException(f.getKey(), f.getValue(), ">= 0");
        }
        Check.positive("coreAreaMm2", coreAreaMm2);
    }

    /** The {@code hardware.energy} section, registered in META-INF/services/org.meshemu.scenario.Section. */
    public static final class Section extends org.meshemu.scenario.Section<EnergySpec> {
        public Section() { super("hardware.energy", EnergySpec.class); }
    }
}
