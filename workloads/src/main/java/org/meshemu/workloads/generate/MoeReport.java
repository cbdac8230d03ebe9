package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.ComponentReport;

/**
 * The report's {@code moe} section (docs/REPORT.md defines every figure), for a placement whose programs count
 * each expert's tokens ({@link ExpertPlacement#countsTokens}: {@code expert-parallel}). Token counts are the
 * cores' {@link org.meshemu.aicore.Instruction.Count} counters, measured in the run (the routing is data:
 * the gate's values in full payload, the drawn decisions in timing mode); bytes follow from them and the
 * hidden size; times are the lead core's marks.
 *
 * @param placement        the expert placement
 * @param routing          timing mode's routing kind (gate, zipf); full payload always routes by the gate
 * @param experts          experts per layer
 * @param topK             experts each token is routed to (2: sparsemixer)
 * @param tokensPerLayer   tokens each layer routes over the run: batch x (prompt length + decode steps)
 * @param layers           per layer figures, in layer order
 * @param imbalanceMax     the largest layer imbalance
 * @param allToAllBytes    payload bytes of dispatch and combine over the NoC and chip links: tokens sent to a group
 *                         whose first core is not the lead, times 2 (x out, E(x) back) x hidden x 4 bytes
 * @param offChipBytes     the part of allToAllBytes sent to groups on another chip than the lead's
 * @param dispatchPs       lead-core time, summed over layers and blocks, from the routing to the last dispatch send
 *                         issued (the routing's broadcast, the selectors, the sends)
 * @param expertsPs        lead-core time, summed likewise, from the dispatch until every result is in (the experts'
 *                         compute and queueing, the combine)
 */
public record MoeReport(String placement, String routing, int experts, int topK, long tokensPerLayer, List<Layer> layers, double imbalanceMax,
                        long allToAllBytes, long offChipBytes, long dispatchPs, long expertsPs) {

    /**
     * @param layer           the layer's name (L0, L1, ...)
     * @param tokensPerExpert tokens each expert processed over the run
     * @param tokens          their sum: tokensPerLayer x topK when no token is dropped
     * @param imbalance       max / mean of tokensPerExpert (1: perfectly balanced; experts means E)
     */
    public record Layer(String layer, List<Long> tokensPerExpert, long tokens, double imbalance) {
        public Layer {
            tokensPerExpert = List.copyOf(tokensPerExpert);
        }
    }

    /** The section from the components' reports (cores first, in endpoint order). */
    static MoeReport of(String placement, String routing, List<String> layerNames, int experts, long tokensPerLayer, int hidden,
                        List<ComponentReport> reports) {
        List<ComponentReport> cores = reports.stream().filter(r -> r.kind().equals("core")).toList();
        List<Layer> layers = new ArrayList<>();
        double imbalanceMax = 0;
        for (String name : layerNames) {
            long[] perExpert = new long[experts];
            long sum = 0, max = 0;
            for (int e = 0; e < experts; e++) {
                perExpert[e] = total(cores, "count:" + ExpertParallel.tokens(name, e));
                sum += perExpert[e];
                max = Math.max(max, perExpert[e]);
            }
            double imbalance = sum == 0 ? 0 : max / ((double) sum / experts);
            imbalanceMax = Math.max(imbalanceMax, imbalance);
            layers.add(new Layer(name, java.util.Arrays.stream(perExpert).boxed().toList(), sum, imbalance));
        }
        long tokenBytes = 4L * hidden;
        long remote = total(cores, "count:" + ExpertParallel.REMOTE), offChip = total(cores, "count:" + ExpertParallel.OFF_CHIP);
        ComponentReport lead = cores.getFirst();
        return new MoeReport(placement, routing, experts, 2, tokensPerLayer, layers, imbalanceMax, 2 * remote * tokenBytes, 2 * offChip * tokenBytes,
                spans(lead, "/moe_dispatch"), spans(lead, "/experts"));
    }

    private static long total(List<ComponentReport> cores, String counter) {
        return cores.stream().mapToLong(c -> c.counters().getOrDefault(counter, 0L)).sum();
    }

    /** The lead's span counters of every layer's operator {@code op}. */
    private static long spans(ComponentReport lead, String op) {
        return lead.counters().entrySet().stream().filter(e -> e.getKey().startsWith("span:") && e.getKey().endsWith(op)).mapToLong(java.util.Map.Entry::getValue).sum();
    }
}
