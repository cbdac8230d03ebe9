package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.workloads.fused.MixExperts;
import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Expert-sliced: every expert's matrices are split over all cores like any projection (by the
 * scenario's {@link MatVecMapping}); each core holds its block of all experts one after another in its
 * bank and loads the routed expert's block by the index the router left in SRAM, so only the
 * chosen experts' weights are read (the selections of the slots count as the {@code sparsemixer} operator, whatever the gate). The SwiGLU and the mix run on the lead core. Fits any core count.
 */
public final class SlicedExperts implements ExpertPlacement {
    @Override public String name() { return "sliced"; }

    @Override public String unfit(int cores, int experts) { return null; }

    /** Every slot runs its expert by index, so a slot must never be empty: the threshold gate needs a placement that skips. */
    @Override public boolean runsEmptySlots() { return false; }

    @Override
    public void lower(Lowering l, Graph.Experts n) {
        String layer = n.layer();
        int slots = n.slots();
        List<Graph.Node> parts = new ArrayList<>();
        List<Graph.Val> index = new ArrayList<>(), terms = new ArrayList<>();
        for (int k = 0; k < slots; k++) index.add(l.fresh(Shape.vector(1)));
        for (int k = 0; k < slots; k++) terms.add(l.fresh(Shape.vector(n.w2().rows())));
        for (int k = 0; k < slots; k++) {
            parts.add(new Graph.Vector(layer, "sparsemixer", index.get(k), new VectorOp.Slice(2 * k, 1), List.of(n.route())));
            expert(l, n, index.get(k), terms.get(k), parts);
        }
        terms.add(n.route());
        parts.add(new Graph.Vector(layer, n.op(), n.out(), new MixExperts(slots), terms));
        l.lowerParts(parts);
    }

    /** y := E_index(x) = W2 (silu(W1 x) * (W3 x)) as stacked projections selected by the 1x1 index. */
    private static void expert(Lowering l, Graph.Experts n, Graph.Val index, Graph.Val y, List<Graph.Node> parts) {
        int inter = n.w1().rows();
        Graph.Val gate = l.fresh(Shape.vector(inter)), up = l.fresh(Shape.vector(inter)), z = l.fresh(Shape.vector(inter));
        parts.add(new Graph.MatVec(n.layer(), "expert_w1", gate, n.w1(), n.x(), index));                              // [I]
        parts.add(new Graph.MatVec(n.layer(), "expert_w3", up, n.w3(), n.x(), index));                                // [I]
        parts.add(new Graph.Vector(n.layer(), "swiglu", z, new VectorOp.SiluMul(), List.of(gate, up)));
        parts.add(new Graph.MatVec(n.layer(), "expert_w2", y, n.w2(), z, index));                                     // [H]
    }
}
