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

    /** Counter prefix of matrix flops by dtype (as the core reports them). */
    static final String FLOPS = "flops.";

    public static Energy of(List<ComponentReport> reports, EnergySpec e, IntUnaryOperator localityOf, long simulatedPs) {
        double core = 0, link = 0, dram = 0;
        long cores = 0;
        Map<Integer, Double> byNode = new HashMap<>();
        for (ComponentReport r : reports) {
            double pj = switch (r.kind()) {
                case "core" -> {
                    cores++;
                    double flops = 0;
                    for (var c : r.counters().entrySet()) {
                        if (c.getKey().startsWith(FLOPS)) flops += c.getValue() * e.pjPerFlop().getOrDefault(c.getKey().substring(FLOPS.length()), 0.0);
                    }
                    double v = flops + r.counter("vectorElements") * e.pjPerVectorElement();
                    core += v;
                    yield v;
                }
                case "link" -> {
                    double v = r.counter("bytes") * 8.0 * e.pjPerBitHop();
                    link += v;
                    yield v;
                }
                case "bank" -> {
                    double v = r.counter("bytesRead") * 8.0 * e.pjPerBitDramRead() + r.counter("bytesWritten") * 8.0 * e.pjPerBitDramWrite()
                            + r.counter("activates") * e.pjPerActivate();
                    dram += v;
                    yield v;
                }
                default -> 0.0;
            };
            if (r.kind().equals("core")) pj += e.staticMilliwattsPerCore() * 1e-3 * simulatedPs; // mW x ps = 1e-3 pJ
            byNode.merge(localityOf.applyAsInt(r.id()), pj, Double::sum);
        }
        double staticPj = e.staticMilliwattsPerCore() * 1e-3 * cores * simulatedPs;
        double total = core + link + dram + staticPj;
        double peakNodePj = byNode.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return new Energy(core, link, dram, staticPj, total, simulatedPs == 0 ? 0 : total / simulatedPs,
                simulatedPs == 0 ? 0 : peakNodePj / simulatedPs / e.coreAreaMm2());
    }
}
