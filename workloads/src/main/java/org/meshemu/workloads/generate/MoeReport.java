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
 * @param gate             the gate (sparsemixer, top-k, threshold)
 * @param experts          experts per layer
 * @param topK             experts each token was routed to, on average over the tokens of every layer (2 with
 *                         sparsemixer; num_experts_per_tok with top-k; the mean activated with threshold)
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
 * @param sMbu             MoE-CAP's sparsity-aware memory bandwidth utilisation over the decode steps ({@link Cap})
 * @param sMfu             MoE-CAP's sparsity-aware FLOPs utilisation over the decode steps ({@link Cap})
 * @param placementPolicy  the placement policy's figures ({@link Policy}); null for a placement without one
 */
public record MoeReport(String placement, String routing, String gate, int experts, double topK, long tokensPerLayer, List<Layer> layers,
                        double imbalanceMax, long allToAllBytes, long offChipBytes, long dispatchPs, long expertsPs, double sMbu, double sMfu,
                        Policy placementPolicy) {

    /**
     * The placement policy ({@code workload.placementPolicy}) and what it cost.
     *
     * @param kind               the policy's name
     * @param groups             core groups the cores are divided into
     * @param slotsPerGroup      experts a group's banks hold at once, homes included
     * @param copies             expert replicas the policy created over the run (each one expert's weights copied)
     * @param bytesMoved         weight bytes those copies sent over the NoC and chip links: copies x the expert's three
     *                           matrices in bytes
     * @param copyPs             simulated time the copies took, summed over copies: each from the first receiving core's
     *                           mark before its first receive to the last one's after its last store (the wait for the
     *                           sender included)
     * @param groupImbalanceMean the mean over decode steps of the step's group imbalance
     * @param steps              per decode step figures, in step order
     */
    public record Policy(String kind, int groups, int slotsPerGroup, long copies, long bytesMoved, long copyPs, double groupImbalanceMean, List<Step> steps) {
        public Policy {
            steps = List.copyOf(steps);
        }
    }

    /**
     * @param step           the decode step (0: the one that gives token 1)
     * @param ps             lead-core time from the step's input token's mark to its output token's
     * @param tokens         expert tokens the groups ran in the step, over every layer (batch x k x layers)
     * @param groupImbalance max / mean over the groups of those tokens (1: even; a group holding no expert counts as 0)
     */
    public record Step(int step, long ps, long tokens, double groupImbalance) {}

    /**
     * @param layer           the layer's name (L0, L1, ...)
     * @param tokensPerExpert tokens each expert processed over the run
     * @param tokens          their sum: tokensPerLayer x k when no token is dropped (k the experts each token activated)
     * @param imbalance       max / mean of tokensPerExpert (1: perfectly balanced; experts means E)
     */
    public record Layer(String layer, List<Long> tokensPerExpert, long tokens, double imbalance) {
        public Layer {
            tokensPerExpert = List.copyOf(tokensPerExpert);
        }
    }

    /**
     * What one decode step reads and computes, from the model's shape (docs/REPORT.md, "S-MBU and S-MFU"). Every
     * value is fp32, 4 bytes.
     *
     * @param denseParams  parameters every token uses: every tensor of the checkpoint but the experts' matrices and the
     *                     embedding table (attention, router, norms, biases, LM head)
     * @param expertParams one expert's parameters, 3 x intermediate x hidden
     * @param hidden       hidden size (an embedding row)
     * @param batch        sequences per step
     * @param layers       MoE layers, each with its attention
     * @param qDim         heads x head_dim
     * @param kvDim        KV heads x head_dim
     * @param window       the sliding window (0: none)
     */
    public record StepCost(long denseParams, long expertParams, int hidden, int batch, int layers, int qDim, int kvDim, int window) {
        /** Keys the token at {@code position} attends over: position + 1, at most the window. */
        public long visible(int position) {
            return window == 0 ? position + 1L : Math.min(position + 1L, window);
        }

        /** Weight bytes read by a step that activated {@code activated} experts (summed over layers) plus its KV bytes. */
        public double bytes(long activated, int position) {
            return 4.0 * (denseParams + (long) batch * hidden + activated * expertParams)
                    + 4.0 * batch * layers * 2L * kvDim * visible(position);
        }

        /** FLOPs of a step whose tokens made {@code routed} expert passes (summed over layers). */
        public double flops(long routed, int position) {
            return 2.0 * batch * denseParams + 2.0 * routed * expertParams + 4.0 * batch * layers * (double) qDim * visible(position);
        }
    }

    /**
     * S-MBU and S-MFU over a run's decode steps: step s (at position {@code positions[s]}) activated
     * {@code activated[s]} distinct experts over the batch, summed over layers, and made {@code routed[s]} expert
     * passes; the steps took {@code decodePs} together.
     *
     * @return {sMbu, sMfu}: sum of bytes / (decodePs 1e-12) / peakBytesPerSecond, sum of FLOPs / (decodePs 1e-12) /
     *         peakFlopsPerSecond; 0 without decode steps
     */
    public static double[] cap(StepCost cost, long[] activated, long[] routed, int[] positions, long decodePs, double peakBytesPerSecond,
                               double peakFlopsPerSecond) {
        if (positions.length == 0 || decodePs == 0) return new double[] {0, 0};
        double bytes = 0, flops = 0;
        for (int s = 0; s < positions.length; s++) {
            bytes += cost.bytes(activated[s], positions[s]);
            flops += cost.flops(routed[s], positions[s]);
        }
        double seconds = decodePs * 1e-12;
        return new double[] {bytes / seconds / peakBytesPerSecond, flops / seconds / peakFlopsPerSecond};
    }

    /**
     * The run's decode steps as the section needs them: for each step in order, its position and, per MoE layer, the
     * id of the step's experts node (the label of its per-step counts, {@link ExpertParallel#stepTokens}).
     */
    record DecodeSteps(int[] positions, List<List<Integer>> nodeIds, StepCost cost, double peakFlopsPerSecond) {}

    /** The section from the components' reports (cores first, in endpoint order). */
    static MoeReport of(String placement, String routing, String gate, List<String> layerNames, int experts, long tokensPerLayer, int hidden,
                        DecodeSteps steps, List<ComponentReport> reports, Policy planned) {
        List<ComponentReport> cores = reports.stream().filter(r -> r.kind().equals("core")).toList();
        java.util.Map<String, Long> counts = counts(cores);
        List<Layer> layers = new ArrayList<>();
        double imbalanceMax = 0;
        long routedAll = 0;
        for (String name : layerNames) {
            long[] perExpert = new long[experts];
            long sum = 0, max = 0;
            for (int e = 0; e < experts; e++) {
                perExpert[e] = total(counts, "count:" + ExpertParallel.tokens(name, e));
                sum += perExpert[e];
                max = Math.max(max, perExpert[e]);
            }
            double imbalance = sum == 0 ? 0 : max / ((double) sum / experts);
            imbalanceMax = Math.max(imbalanceMax, imbalance);
            routedAll += sum;
            layers.add(new Layer(name, java.util.Arrays.stream(perExpert).boxed().toList(), sum, imbalance));
        }
        long tokenBytes = 4L * hidden;
        long remote = total(counts, "count:" + ExpertParallel.REMOTE), offChip = total(counts, "count:" + ExpertParallel.OFF_CHIP);
        ComponentReport lead = cores.getFirst();
        int n = steps.positions().length;
        long[] activated = new long[n], routed = new long[n];
        for (int s = 0; s < n; s++) {
            for (int li = 0; li < layerNames.size(); li++) {
                for (int e = 0; e < experts; e++) {
                    long c = total(counts, "count:" + ExpertParallel.stepTokens(layerNames.get(li), steps.nodeIds().get(s).get(li), e));
                    routed[s] += c;
                    if (c > 0) activated[s]++;
                }
            }
        }
        long decodePs = n == 0 ? 0 : lead.counter("at:out/token." + n) - lead.counter("at:out/token.0");
        double peakBytes = org.meshemu.dram.Bank.peakBytesPerSecond(reports);
        double[] cap = cap(steps.cost(), activated, routed, steps.positions(), decodePs, peakBytes, steps.peakFlopsPerSecond());
        double topK = tokensPerLayer == 0 ? 0 : (double) routedAll / layerNames.size() / tokensPerLayer;
        return new MoeReport(placement, routing, gate, experts, topK, tokensPerLayer, layers, imbalanceMax, 2 * remote * tokenBytes, 2 * offChip * tokenBytes,
                spans(lead, "/moe_dispatch"), spans(lead, "/experts"), cap[0], cap[1], planned == null ? null : measured(planned, counts, cores, lead, n));
    }

    /** The planned policy figures with each decode step's time and group tokens. */
    private static Policy measured(Policy planned, java.util.Map<String, Long> counts, List<ComponentReport> cores, ComponentReport lead, int decodeSteps) {
        List<Step> steps = new ArrayList<>();
        double sumImbalance = 0;
        for (int d = 0; d < decodeSteps; d++) {
            long sum = 0, max = 0;
            for (int g = 0; g < planned.groups(); g++) {
                long n = total(counts, "count:" + ExpertParallel.groupTokens("step." + d, g));
                sum += n;
                max = Math.max(max, n);
            }
            double imbalance = sum == 0 ? 0 : max / ((double) sum / planned.groups());
            sumImbalance += imbalance;
            steps.add(new Step(d, lead.counter("at:out/token." + (d + 1)) - lead.counter("at:out/token." + d), sum, imbalance));
        }
        return new Policy(planned.kind(), planned.groups(), planned.slotsPerGroup(), planned.copies(), planned.bytesMoved(), copyPs(cores),
                decodeSteps == 0 ? 0 : sumImbalance / decodeSteps, steps);
    }

    /** Each copy's span over its receiving cores' marks (earliest begin to latest end), summed over copies. */
    private static long copyPs(List<ComponentReport> cores) {
        java.util.Map<String, long[]> spans = new java.util.TreeMap<>();                   // copy -> {earliest begin, latest end}
        String prefix = "at:moe/copy/";
        for (ComponentReport c : cores) {
            c.counters().forEach((key, at) -> {
                if (!key.startsWith(prefix)) return;
                boolean begin = key.endsWith(ExpertParallel.BEGIN);
                long[] span = spans.computeIfAbsent(key.substring(0, key.lastIndexOf('/')), k -> new long[] {Long.MAX_VALUE, 0});
                if (begin) span[0] = Math.min(span[0], at);
                else span[1] = Math.max(span[1], at);
            });
        }
        return spans.values().stream().mapToLong(s -> s[1] - s[0]).sum();
    }

    /** Every {@code count:} counter summed over the cores, read once (the figures look up thousands of them). */
    private static java.util.Map<String, Long> counts(List<ComponentReport> cores) {
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        for (ComponentReport c : cores) {
            c.counters().forEach((key, value) -> {
                if (key.startsWith("count:")) sums.merge(key, value, Long::sum);
            });
        }
        return sums;
    }

    private static long total(java.util.Map<String, Long> counts, String counter) {
        return counts.getOrDefault(counter, 0L);
    }

    /** The lead's span counters of every layer's operator {@code op}. */
    private static long spans(ComponentReport lead, String op) {
        return lead.counters().entrySet().stream().filter(e -> e.getKey().startsWith("span:") && e.getKey().endsWith(op)).mapToLong(java.util.Map.Entry::getValue).sum();
    }
}
