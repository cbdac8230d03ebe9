package org.meshemu.workloads.generate;

import java.util.List;

/**
 * Static: expert e on group floor(e G / E), contiguous runs of experts per group. With one group per expert (the
 * default) expert e is on group e, expert-parallel's placement before policies existed.
 */
public final class LinearPlacement implements PlacementPolicy {
    @Override public String name() { return "linear"; }

    /** Expert {@code e}'s group of {@code groups} when {@code experts} experts spread in contiguous runs. */
    static int home(int e, int experts, int groups) {
        return (int) ((long) e * groups / experts);
    }

    @Override
    public List<ExpertMap> place(Problem p, List<Block> blocks) {
        return PlacementPolicy.fixed(p, blocks, e -> home(e, p.experts(), p.groups()));
    }
}
