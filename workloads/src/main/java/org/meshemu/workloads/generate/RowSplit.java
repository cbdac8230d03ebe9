package org.meshemu.workloads.generate;

import org.meshemu.workloads.generate.lower.Lowering;


/**
 * Output rows split over the cores (MeshGEMV's row-parallel form): core c holds rows
 * [start_c, end_c) of W resident in its own bank, x is broadcast down a binomial tree by core index,
 * every core computes its slice of W x on the matrix unit (the same dot products as the reference, so
 * the result is bit-identical), and the slices are gathered to the lead core by the mirrored tree,
 * each hop concatenating the lower block before the higher one.
 */
public final class RowSplit implements MatVecMapping {
    @Override public String name() { return "row-split"; }

    @Override
    public void lower(Lowering l, Graph.MatVec node) {
        Graph.Weight w = node.w();
        int p = Math.min(l.cores(), w.rows());
        int[] start = Lowering.split(w.rows(), p);
        l.collectives().broadcast(node.x(), p);
        if (node.select() != null) l.collectives().broadcast(node.select(), p);
        int[] slice = new int[p];
        for (int c = 0; c < p; c++) {
            int rows = start[c + 1] - start[c];
            slice[c] = c == 0 ? node.out().id() : l.code().temp();
            l.products().blockTimes(c, node, name(), start[c], 0, rows, w.cols(), l.collectives().reg(node.x(), c), slice[c]);
        }
        l.collectives().gather(slice, start, p, node.out(), node.out().shape().dtype());
    }
}
