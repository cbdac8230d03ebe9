package org.meshemu.workloads.generate;

import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Where a mixture of experts' weights live and how a token reaches its routed experts
 * ({@code workload.experts}). Registered by name in {@link ExpertPlacements}; adding one is one class
 * and one line in {@code META-INF/services/org.meshemu.workloads.generate.ExpertPlacement}.
 *
 * <p>Contract: {@link #lower} emits, through the lowering, the instructions of every core taking part,
 * leaving w_1 E_e1(x) + ... + w_K E_eK(x) on the lead core in the register of {@code node.out()}, the terms added
 * in slot order by {@link org.meshemu.workloads.fused.MixExperts} (as the reference), each expert's sums in an
 * order fixed by core index, and no work for an empty slot (a threshold gate's); programs stay static, the routing only selects addresses or guarded blocks.
 */
public interface ExpertPlacement extends org.meshemu.scenario.Named {
    /** The scenario name. */
    @Override
    String name();

    /**
     * Null when {@code experts} experts fit on {@code cores} cores this way, else what is expected of the
     * hardware, for the scenario error (checked before lowering).
     */
    String unfit(int cores, int experts);

    void lower(Lowering l, Graph.Experts node);

    /** Whether it can lower a routing whose slots after the first may be empty ({@link Graph.Experts#emptySlots}). */
    default boolean runsEmptySlots() { return true; }

    /**
     * Whether {@link #lower} takes a block's tokens in one node (x [H, T], route [4, T], to dispatch them
     * together); otherwise the family emits one node per token (T = 1).
     */
    default boolean takesBlocks() { return false; }

    /**
     * Whether the programs count each expert's tokens ({@link ExpertParallel#tokens} and its other
     * {@link org.meshemu.aicore.Instruction.Count} labels), which gives the report's {@code moe} section ({@link MoeReport}).
     */
    default boolean countsTokens() { return false; }

    /** Whether the scenario's {@link PlacementPolicy} decides which groups hold which experts ({@code workload.placementPolicy}). */
    default boolean placesByPolicy() { return false; }
}
