package org.meshemu.workloads.generate;

import org.meshemu.aicore.Instruction;

/**
 * Input columns split over the cores: core c holds columns [start_c, end_c) of W resident in its
 * bank, the lead core scatters the matching segment of x, every core computes a full-length partial
 * W_c x_c, and the partials are summed by a binomial tree in a fixed order by core index (at stride
 * s, core i adds the partial of i + s to its own). The sums differ from the reference's single dot
 * product by rounding only (integer partials, BitNet's, are exact).
 */
public final class TreeReduce implements MatVecMapping {
    @Override public String name() { return "tree-reduce"; }

    @Override
    public void lower(Lowering l, Graph.MatVec node) {
        Graph.Weight w = node.w();
        int p = Math.min(l.cores(), w.cols());
        int[] start = Lowering.split(w.cols(), p);
        if (node.select() != null) l.broadcast(node.select(), p);
        int[] partial = new int[p];
        for (int c = 0; c < p; c++) {
            int cols = start[c + 1] - start[c];
            int x = l.segment(node.x(), c, start[c], cols, p);
            int wr = l.loadWeight(c, node, name(), 0, start[c], w.rows(), cols);
            partial[c] = c == 0 && p == 1 ? node.out().id() : l.temp();
            l.product(c, w, wr, x, partial[c]);
        }
        for (int s = 1; s < p; s <<= 1) {
            for (int i = s; i < p; i += 2 * s) {
                int to = i - s, tag = l.tag();
                l.emit(i, new Instruction.Send(partial[i], to, tag));
                int got = l.temp();
                l.emit(to, new Instruction.Recv(got, i, tag, w.rows(), node.out().shape().cols(), node.out().shape().dtype()));
                int sum = to == 0 && s * 2 >= p ? node.out().id() : l.temp();
                l.emit(to, new Instruction.Elementwise(Instruction.Op.ADD, partial[to], got, sum));
                partial[to] = sum;
            }
        }
    }

}
