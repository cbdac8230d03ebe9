package org.meshemu.workloads.generate;

import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Input columns split over the cores: core c holds columns [start_c, end_c) of W resident in its
 * bank, the lead core scatters the matching segments of x down the {@link CollectiveTree}, every core
 * computes a full-length partial W_c x_c, and the partials are summed up the same tree in a fixed
 * order by core index. The sums differ from the reference's single dot product by rounding only
 * (integer partials, BitNet's, are exact).
 */
public final class TreeReduce implements MatVecMapping {
    @Override public String name() { return "tree-reduce"; }

    @Override
    public void lower(Lowering l, Graph.MatVec node) {
        Graph.Weight w = node.w();
        int p = Math.min(l.cores(), w.cols());
        int[] start = Lowering.split(w.cols(), p);
        if (node.select() != null) l.collectives().broadcast(node.select(), p);
        int[] x = l.collectives().scatter(node.x(), start, p);
        int[] partial = new int[p];
        for (int c = 0; c < p; c++) {
            partial[c] = p == 1 ? node.out().id() : l.code().temp();
            l.products().blockTimes(c, node, name(), 0, start[c], w.rows(), start[c + 1] - start[c], x[c], partial[c]);
        }
        l.collectives().reduce(partial, p, node.out().id(), node.out().shape());
    }
}
