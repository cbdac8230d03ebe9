package org.meshemu.workloads.generate;

import java.util.List;

/** Static: expert e on group e mod G, neighbouring experts on different groups. */
public final class RoundRobinPlacement implements PlacementPolicy {
    @Override public String name() { return "round-robin"; }

    @Override
    public List<ExpertMap> place(Problem p, List<Block> blocks) {
        return PlacementPolicy.fixed(p, blocks, e -> e % p.groups());
    }
}
