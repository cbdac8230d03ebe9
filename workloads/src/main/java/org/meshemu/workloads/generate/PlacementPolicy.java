package org.meshemu.workloads.generate;

import java.util.List;

/**
 * Which core groups hold which experts, block by block, under {@code workload.experts: expert-parallel}
 * ({@code workload.placementPolicy}). Registered by name in {@link PlacementPolicies}; adding one is one class and
 * one line in {@code META-INF/services/org.meshemu.workloads.generate.PlacementPolicy}.
 *
 * <p>Programs are static, so a policy decides at planning: it sees each block's routing decisions (the seeded
 * {@link RoutingTrace}; in timing mode that trace is the routing itself, in full payload the real gate routes and
 * the trace is only the policy's forecast) and may use only the blocks before the one it places. Placement never
 * changes numbers: a replica computes the same bits as the home.
 */
public interface PlacementPolicy extends org.meshemu.scenario.Named {
    /** The scenario name. */
    @Override
    String name();

    /**
     * Null when the policy can place {@code experts} experts on {@code groups} groups of {@code slots} expert slots
     * each, else the field that cannot and what is expected, as {@code {field, expected}}.
     */
    default String[] unfit(Problem p) {
        return null;
    }

    /** One map per block of one layer, in block order. */
    List<ExpertMap> place(Problem p, List<Block> blocks);

    /**
     * @param spec        the scenario's policy section
     * @param experts     experts per layer
     * @param groups      core groups
     * @param slots       experts a group's banks may hold at once (its homes included)
     * @param chipOfGroup the chip of each group's first core
     */
    record Problem(GenerateSpec.Policy spec, int experts, int groups, int slots, int[] chipOfGroup) {
        /** Groups holding one home each when experts spread evenly: ceil(experts / groups). */
        public int homesPerGroup() { return (experts + groups - 1) / groups; }
    }

    /**
     * One block of one layer.
     *
     * @param label      prompt.N or step.N
     * @param decodeStep the decode step (0, 1, ...), or -1 for a prompt block
     * @param routes     each token's experts (the routing trace), in the block's token order
     */
    record Block(String label, int decodeStep, int[][] routes) {}

    /** Every block with the same experts-on-their-homes map. */
    static List<ExpertMap> fixed(Problem p, List<Block> blocks, java.util.function.IntUnaryOperator home) {
        int[] homes = new int[p.experts()];
        for (int e = 0; e < homes.length; e++) homes[e] = home.applyAsInt(e);
        return blocks.stream().map(b -> ExpertMap.homes(b.label(), p.groups(), homes)).toList();
    }
}
