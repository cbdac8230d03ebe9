package org.meshemu.workloads.generate;

import org.meshemu.workloads.generate.lower.Lowering;

/**
 * The default: row-split wherever every core gets at least one row (no reduction, results identical
 * to the reference), tree-reduce for short outputs (a router over a few experts) so that all cores
 * still share the work.
 */
public final class AutoMapping implements MatVecMapping {
    private final MatVecMapping rows = new RowSplit();
    private final MatVecMapping columns = new TreeReduce();

    @Override public String name() { return "auto"; }

    @Override
    public void lower(Lowering l, Graph.MatVec node) {
        (node.w().rows() >= l.cores() ? rows : columns).lower(l, node);
    }
}
