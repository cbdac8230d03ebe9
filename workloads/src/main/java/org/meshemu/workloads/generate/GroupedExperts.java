package org.meshemu.workloads.generate;

import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.fused.MixExperts;
import org.meshemu.workloads.fused.SoftmaxGate;
import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Expert parallelism on core groups: the cores are divided into E groups of G = cores / E consecutive
 * cores, and expert e's three matrices live only in group e's banks, split over its cores by rows as
 * {@link RowSplit} does. The routing [e_1, w_1, ..., e_K, w_K] is broadcast to every core (each group's only
 * message when it is not chosen); the lead core sends x to the first core of the chosen groups
 * only (an empty slot of a threshold gate sends nothing); each chosen group computes E(x) = W2 (silu(W1 x) * (W3 x)) (W1, W3 and the SwiGLU row-split,
 * z gathered and spread inside the group, W2 row-split, E(x) gathered on the group's first core) and
 * sends it back; the lead mixes y_1 w_1 + ... + y_K w_K in slot order (the reference's bits: the same dot
 * products, the same elementwise SwiGLU, the same mix).
 *
 * <p>The data-dependent destination in static programs: every block that belongs to slot k and group g
 * (the lead's send and receive, the group's work) is guarded by a {@link Instruction.Skip} on "e_k == g",
 * so the unchosen groups pass over it. A token's experts differ, so the chosen groups work
 * at the same time; in timing mode the routing is the one drawn on the lead core.
 */
public final class GroupedExperts implements ExpertPlacement {
    @Override public String name() { return "grouped"; }

    @Override
    public String unfit(int cores, int experts) {
        return oneGroupPerExpert(cores, experts);
    }

    /** Null when the cores divide into one group per expert, else what is expected (shared with {@link ExpertParallel}). */
    static String oneGroupPerExpert(int cores, int experts) {
        return cores % experts == 0 ? null
                : "a core count divisible by num_local_experts (" + experts + ") to make one core group per expert; the mesh has " + cores + " cores";
    }

    @Override
    public void lower(Lowering l, Graph.Experts n) {
        int experts = n.w1().count(), group = l.cores() / experts, hidden = n.x().length(), slots = n.slots();
        // every core learns the routing and keeps e_1 .. e_K as its selectors
        l.collectives().broadcast(n.route(), l.cores());
        int[] selector = new int[slots], y = new int[slots];
        for (int k = 0; k < slots; k++) selector[k] = l.code().temp();
        for (int c = 0; c < l.cores(); c++) {
            for (int k = 0; k < slots; k++) l.code().emit(c, new Instruction.Vector(new VectorOp.Slice(2 * k, 1), selector[k], l.collectives().reg(n.route(), c)));
        }
        for (int k = 0; k < slots; k++) y[k] = l.code().temp();                           // E_ek(x) on the lead core
        int[][] toGroup = new int[slots][experts], fromGroup = new int[slots][experts];
        // dispatch: x to the first core of each chosen group (group 0's first core is the lead itself)
        for (int k = 0; k < slots; k++) {
            for (int g = 1; g < experts; g++) {
                int to = g * group, tag = toGroup[k][g] = l.code().tag();
                l.code().guarded(Lowering.LEAD, 1, selector[k], g, () -> l.code().emit(Lowering.LEAD, new Instruction.Send(n.x().id(), to, tag)));
            }
        }
        l.mark(n.layer(), "moe_dispatch");
        // the chosen groups compute; a group is chosen for at most one slot
        for (int k = 0; k < slots; k++) {
            for (int g = 0; g < experts; g++) {
                int first = g * group, slot = k, e = g;
                l.code().guarded(first, group, selector[k], g, () -> {
                    int x = first == Lowering.LEAD ? n.x().id() : l.code().temp();
                    if (first != Lowering.LEAD) l.code().emit(first, new Instruction.Recv(x, Lowering.LEAD, toGroup[slot][e], hidden, 1, DType.FP32));
                    int out = first == Lowering.LEAD ? y[slot] : l.code().temp();
                    expert(l, n, e, first, group, x, out);
                    if (first != Lowering.LEAD) l.code().emit(first, new Instruction.Send(out, Lowering.LEAD, fromGroup[slot][e] = l.code().tag()));
                });
            }
        }
        // collect: exactly one of the guarded receives (or group 0's own result) writes y_k; an empty slot gets a
        // placeholder the mix never reads, since a program defines every value on every path
        for (int k = 0; k < slots; k++) {
            for (int g = 1; g < experts; g++) {
                int from = g * group, slot = k, tag = fromGroup[k][g];
                l.code().guarded(Lowering.LEAD, 1, selector[k], g,
                        () -> l.code().emit(Lowering.LEAD, new Instruction.Recv(y[slot], from, tag, hidden, 1, DType.FP32)));
            }
            if (k > 0 && n.emptySlots()) {
                int slot = k;
                l.code().guarded(Lowering.LEAD, 1, selector[k], SoftmaxGate.EMPTY,
                        () -> l.code().emit(Lowering.LEAD, new Instruction.Vector(new VectorOp.Scale(0f), y[slot], n.x().id())));
            }
        }
        l.mark(n.layer(), "experts");
        java.util.List<Integer> terms = new java.util.ArrayList<>();
        for (int k = 0; k < slots; k++) terms.add(y[k]);
        terms.add(n.route().id());
        l.code().emit(Lowering.LEAD, new Instruction.Vector(new MixExperts(slots), terms, n.out().id()));
    }

    /**
     * out (on core {@code first}) := E_e(x) with x on core {@code first}, over cores [first, first + group):
     * W1 and W3 rows split, the SwiGLU on each core's rows, z gathered and spread, W2 rows split, gathered.
     */
    static void expert(Lowering l, Graph.Experts n, int e, int first, int group, int x, int out) {
        int hidden = n.x().shape().rows(), inter = n.w1().rows();
        int p = Math.min(group, inter);
        int[] rows = Lowering.split(inter, p);
        int[] xs = l.collectives().spread(x, Shape.vector(hidden), first, p);
        int[] z = new int[p];
        for (int j = 0; j < p; j++) {
            int c = first + j, r = rows[j + 1] - rows[j];
            int gate = rowsTimes(l, c, n.w1(), e, rows[j], r, xs[j]);                                               // [I_j]
            int up = rowsTimes(l, c, n.w3(), e, rows[j], r, xs[j]);                                                 // [I_j]
            z[j] = l.code().temp();
            l.code().emit(c, new Instruction.Vector(new VectorOp.SiluMul(), z[j], gate, up));
        }
        int joined = l.code().temp();
        l.collectives().gather(z, rows, first, p, joined, Shape.vector(inter), DType.FP32);                                     // [I]
        int q = Math.min(group, hidden);
        int[] outRows = Lowering.split(hidden, q);
        int[] zs = l.collectives().spread(joined, Shape.vector(inter), first, q);
        int[] part = new int[q];
        for (int j = 0; j < q; j++) {
            int c = first + j;
            part[j] = rowsTimes(l, c, n.w2(), e, outRows[j], outRows[j + 1] - outRows[j], zs[j]);                  // [H_j]
        }
        l.collectives().gather(part, outRows, first, q, out, Shape.vector(hidden), DType.FP32);                                  // [H]
    }

    /** Rows [row, row + rows) of expert e's w times x on core c, in SRAM-sized pieces ({@link Lowering#matrixTimes}). */
    private static int rowsTimes(Lowering l, int c, Graph.Weight w, int e, int row, int rows, int x) {
        int y = l.code().temp();
        l.products().matrixTimes(c, w, e, row, rows, x, y);
        return y;
    }
}
