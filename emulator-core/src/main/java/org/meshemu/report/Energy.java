package org.meshemu.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.meshemu.kernel.ComponentReport;

/**
 * Energy and power of a run, computed from the components' counters after the run (first order:
 * each operation and each bit moved costs a fixed energy; static power is per core). Energies in
 * pJ; pJ per ps is W.
 *
 * @param corePj           matrix-unit flops x pjPerFlop of their dtype + vector elements x pjPerVectorElement
 * @param linkPj           bits serialised on NoC links x pjPerBitHop (one link = one hop)
 * @param dramPj           bits read and written x pjPerBitDram{Read,Write} + activations x pjPerActivate
 * @param staticPj         staticMilliwattsPerCore x cores x simulated time
 * @param totalPj          the sum
 * @param averageWatts     totalPj / simulatedTimePs
 * @param peakWattsPerMm2  the largest power of one mesh node (its core, banks, outgoing links and static power) over coreAreaMm2
 */
public record Energy(double corePj, double linkPj, double dramPj, double staticPj, double totalPj,
                     double averageWatts, double peakWattsPerMm2) {

    /** The parts dynamic energy is reported in; each component kind's {@link ComponentMeasures} names its part. */
    public enum Part { CORE, LINK, DRAM, NONE }

    public static Energy of(List<ComponentReport> reports, EnergySpec e, IntUnaryOperator localityOf, long simulatedPs) {
        double[] byPart = new double[Part.values().length];
        long cores = 0;
        Map<Integer, Double> byNode = new HashMap<>();
        for (ComponentReport r : reports) {
            ComponentMeasures m = ComponentMeasures.of(r);
            double pj = m.dynamicPj(r, e);
            byPart[m.part().ordinal()] += pj;
            if (m.drawsStaticPower()) {
                cores++;
                pj += e.staticMilliwattsPerCore() * 1e-3 * simulatedPs; // mW x ps = 1e-3 pJ
            }
            byNode.merge(localityOf.applyAsInt(r.id()), pj, Double::sum);
        }
        double core = byPart[Part.CORE.ordinal()], link = byPart[Part.LINK.ordinal()], dram = byPart[Part.DRAM.ordinal()];
        double staticPj = e.staticMilliwattsPerCore() * 1e-3 * cores * simulatedPs;
        double total = core + link + dram + staticPj;
        double peakNodePj = byNode.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return new Energy(core, link, dram, staticPj, total, simulatedPs == 0 ? 0 : total / simulatedPs,
                simulatedPs == 0 ? 0 : peakNodePj / simulatedPs / e.coreAreaMm2());
    }
}
