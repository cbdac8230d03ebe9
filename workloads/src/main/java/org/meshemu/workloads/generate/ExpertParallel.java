package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.fused.MixExperts;
import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Expert parallelism over the chips of a system: the cores (numbered chip-major) are divided into E groups of
 * G = cores / E consecutive cores, so with C chips and E a multiple of C each chip holds E / C whole experts,
 * each on its own group of cores (with E < C an expert's group spans C / E chips). Expert e's matrices live
 * only in group e's banks, each split over the group's cores by rows as in {@link GroupedExperts}.
 *
 * <p>It takes a block's tokens at once ({@link #takesBlocks}): the block's routing [4, T] is broadcast to
 * every core, then (dispatch) the lead core sends each token's x to the first core of each of its
 * experts' groups (K slots of the routing [e_1, w_1, ..., e_K, w_K], an empty slot of a threshold gate sends nothing), all tokens before any result is awaited; each group (compute) runs its tokens in token
 * order, one after the other, so a hot expert is queueing time and no token is ever dropped; (combine) each
 * result comes back to the lead, which mixes y_1 w_1 + ... + y_K w_K per token in the reference's order. The lead core
 * holds the block's activations (as for every operator), so dispatch is a scatter from it and combine a
 * gather to it, over the NoC and, for groups on other chips, the chip links.
 *
 * <p>Every token-slot-group block is guarded by a {@link Instruction.Skip} on "e_{t,k} == g". The group's first
 * core counts each token it runs ({@link Instruction.Count}: {@link #tokens}, per block {@link #stepTokens}, and {@link #REMOTE} /
 * {@link #OFF_CHIP} when the token came from another core / chip), which the report's {@code moe} section reads; a
 * group's first core other than the lead marks each token's arrival and its result's departure ({@link #xIn},
 * {@link #yOut}: marks cost nothing), which time the all-to-all against the lead's marks.
 */
public final class ExpertParallel implements ExpertPlacement {
    /** Count label: tokens dispatched to a group whose first core is not the lead (x out and E(x) back over the NoC). */
    public static final String REMOTE = "moe/remote";
    /** Count label: tokens dispatched to a group whose first core is on another chip than the lead. */
    public static final String OFF_CHIP = "moe/offChip";

    /** Count label: tokens expert {@code e} of layer {@code layer} processed. */
    public static String tokens(String layer, int e) { return "moe/" + layer + "/expert." + e; }

    /**
     * Count label: tokens expert {@code e} of layer {@code layer} processed in the block whose experts node has
     * routing value {@code node} (one step of the run; an expert is activated in a step when this is above 0).
     */
    public static String stepTokens(String layer, int node, int e) { return "moe/" + layer + "/step." + node + "/expert." + e; }

    /**
     * Mark label on a group's first core other than the lead: its receive of a token's x in {@code layer} has
     * completed (the dispatch's arrival, plus the receive's issue). With {@link #yOut}, the all-to-all probes.
     */
    public static String xIn(String layer) { return layer + "/moe_x_in"; }

    /** Mark label on a group's first core other than the lead: its send of a token's E(x) in {@code layer} has issued. */
    public static String yOut(String layer) { return layer + "/moe_y_out"; }

    @Override public String name() { return "expert-parallel"; }

    @Override public String unfit(int cores, int experts) { return GroupedExperts.oneGroupPerExpert(cores, experts); }

    @Override public boolean takesBlocks() { return true; }

    @Override public boolean countsTokens() { return true; }

    @Override
    public boolean placesByPolicy() { return true; }

    /** Mark labels: a receiving core's time before its first receive and after its last store of copy {@link #copyLabel}. */
    static final String BEGIN = "/begin", END = "/end";

    /** Mark label prefix of the policy's {@code k}-th weight copy before {@code block} of {@code layer}. */
    static String copyLabel(String block, String layer, int k) { return "moe/copy/" + block + "/" + layer + "/" + k; }

    /** Count label: tokens group {@code group} ran in block {@code block} (every layer, every expert it holds). */
    public static String groupTokens(String block, int group) { return "moe/" + block + "/group." + group; }

    @Override
    public void lower(Lowering l, Graph.Experts n) {
        int experts = n.w1().count(), hidden = n.x().shape().rows(), t = n.x().shape().cols(), slots = n.slots();
        ExpertMap map = l.expertMap(n);
        if (map == null) map = ExpertMap.homes("block", experts, java.util.stream.IntStream.range(0, experts).toArray());
        int group = l.cores() / map.groups();
        int lead = Lowering.LEAD, leadChip = lead / l.coresPerChip();
        copyWeights(l, n, map, group);
        // every core learns the block's routing and keeps e_{i,1} .. e_{i,K} of each token i as its selectors
        l.collectives().broadcast(n.route(), l.cores());
        int[] routeOf = new int[t];
        int[][] selector = new int[t][slots];
        for (int i = 0; i < t; i++) {
            routeOf[i] = t == 1 ? -1 : l.code().temp();
            for (int k = 0; k < slots; k++) selector[i][k] = l.code().temp();
        }
        for (int c = 0; c < l.cores(); c++) {
            int route = l.collectives().reg(n.route(), c);
            for (int i = 0; i < t; i++) {
                int r = t == 1 ? route : routeOf[i];
                if (t > 1) l.code().emit(c, new Instruction.Vector(new VectorOp.Column(i), r, route));
                for (int k = 0; k < slots; k++) l.code().emit(c, new Instruction.Vector(new VectorOp.Slice(2 * k, 1), selector[i][k], r));
            }
        }
        // dispatch: each token's x to the first core of the group serving each of its experts (group 0's first core is the lead)
        int[] x = new int[t];
        int[][][] toGroup = new int[t][slots][experts], fromGroup = new int[t][slots][experts];
        for (int i = 0; i < t; i++) {
            x[i] = t == 1 ? n.x().id() : l.code().temp();
            if (t > 1) l.code().emit(lead, new Instruction.Vector(new VectorOp.Column(i), x[i], n.x().id()));
            for (int k = 0; k < slots; k++) {
                for (int e = 0; e < experts; e++) {
                    int to = map.server(e, i) * group;
                    if (to == lead) continue;
                    int tag = toGroup[i][k][e] = l.code().tag(), xi = x[i];
                    l.code().guarded(lead, 1, selector[i][k], e, () -> l.code().emit(lead, new Instruction.Send(xi, to, tag)));
                }
            }
        }
        l.mark(n.layer(), "moe_dispatch");
        // compute: each group runs the tokens routed to the experts it serves in token order; an expert is chosen for at most one slot of a token
        int[][] y = new int[t][slots];                                                      // E_e1(x_i) .. E_eK(x_i) on the lead core
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < slots; k++) {
                // an unguarded first write (x's column, overwritten below): every later write is guarded, and without it the
                // SRAM check would keep each earlier block's results alive in the slot (a skip may pass over a guarded write)
                y[i][k] = l.code().temp();
                l.code().emit(lead, new Instruction.Vector(new VectorOp.Column(i), y[i][k], n.x().id()));
            }
        }
        for (int g = 0; g < map.groups(); g++) {
            int first = g * group, served = g;
            String counted = groupTokens(map.block(), g);
            for (int i = 0; i < t; i++) {
                for (int k = 0; k < slots; k++) {
                    for (int e = 0; e < experts; e++) {
                        if (map.server(e, i) != served) continue;
                        int token = i, slot = k, expert = e;
                        l.code().guarded(first, group, selector[i][k], e, () -> {
                            l.code().emit(first, new Instruction.Count(tokens(n.layer(), expert)));
                            l.code().emit(first, new Instruction.Count(counted));
                            l.code().emit(first, new Instruction.Count(stepTokens(n.layer(), n.route().id(), expert)));
                            if (first != lead) l.code().emit(first, new Instruction.Count(REMOTE));
                            if (first / l.coresPerChip() != leadChip) l.code().emit(first, new Instruction.Count(OFF_CHIP));
                            int xi = first == lead ? x[token] : l.code().temp();
                            if (first != lead) {
                                l.code().emit(first, new Instruction.Recv(xi, lead, toGroup[token][slot][expert], hidden, 1, DType.FP32));
                                l.code().emit(first, new Instruction.Mark(xIn(n.layer())));
                            }
                            int out = first == lead ? y[token][slot] : l.code().temp();
                            GroupedExperts.expert(l, n, expert, first, group, xi, out);
                            if (first != lead) {
                                l.code().emit(first, new Instruction.Send(out, lead, fromGroup[token][slot][expert] = l.code().tag()));
                                l.code().emit(first, new Instruction.Mark(yOut(n.layer())));
                            }
                        });
                    }
                }
            }
        }
        // combine: exactly one of the guarded receives (or the lead group's own result) writes y_{i,k}; an empty slot keeps
        // the unguarded first write, which the mix never reads
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < slots; k++) {
                for (int e = 0; e < experts; e++) {
                    int from = map.server(e, i) * group;
                    if (from == lead) continue;
                    int tag = fromGroup[i][k][e], yi = y[i][k];
                    l.code().guarded(lead, 1, selector[i][k], e, () -> l.code().emit(lead, new Instruction.Recv(yi, from, tag, hidden, 1, DType.FP32)));
                }
            }
        }
        l.mark(n.layer(), "experts");
        List<Integer> mixed = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            int out = t == 1 ? n.out().id() : l.code().temp();
            int route = t == 1 ? n.route().id() : routeOf[i];                          // the lead's column i, sliced above
            List<Integer> terms = new ArrayList<>();
            for (int k = 0; k < slots; k++) terms.add(y[i][k]);
            terms.add(route);
            l.code().emit(lead, new Instruction.Vector(new MixExperts(slots), terms, out));
            mixed.add(out);
        }
        if (t > 1) l.code().emit(lead, new Instruction.Vector(new VectorOp.Stack(), mixed, n.out().id()));
    }

    /**
     * The policy's weight copies before this block: for each {@link ExpertMap.Move}, core j of the source group sends
     * core j of the target group the rows of the expert's three matrices core j holds ({@link GroupedExperts#expert}'s
     * split), which it stores where its own products load them: real traffic over the NoC and chip links.
     */
    private static void copyWeights(Lowering l, Graph.Experts n, ExpertMap map, int group) {
        int hidden = n.x().shape().rows(), inter = n.w1().rows();
        int p = Math.min(group, inter), q = Math.min(group, hidden);
        int[] rows = Lowering.split(inter, p), outRows = Lowering.split(hidden, q);
        for (int k = 0; k < map.moves().size(); k++) {
            ExpertMap.Move m = map.moves().get(k);
            String copy = copyLabel(map.block(), n.layer(), k);
            for (int j = 0; j < group; j++) {
                int from = m.from() * group + j, to = m.to() * group + j;
                boolean marked = to != Lowering.LEAD;                                      // the lead's marks are the breakdown's
                if (marked) l.code().emit(to, new Instruction.Mark(copy + BEGIN));
                if (j < p) {
                    for (Graph.Weight w : new Graph.Weight[] {n.w1(), n.w3()}) l.products().copyRows(from, to, w, m.expert(), rows[j], rows[j + 1] - rows[j]);
                }
                if (j < q) l.products().copyRows(from, to, n.w2(), m.expert(), outRows[j], outRows[j + 1] - outRows[j]);
                if (marked) l.code().emit(to, new Instruction.Mark(copy + END));
            }
        }
    }
}
