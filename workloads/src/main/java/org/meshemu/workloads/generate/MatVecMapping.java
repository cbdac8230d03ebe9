package org.meshemu.workloads.generate;

import org.meshemu.workloads.generate.lower.Lowering;

/**
 * How a projection y = W x is spread over the cores: where W's blocks live and how x reaches them
 * and y comes back to the lead core. Registered by name in {@link Mappings}; adding one is one class and
 * one line in {@code META-INF/services/org.meshemu.workloads.generate.MatVecMapping}.
 *
 * <p>Contract: {@link #lower} emits, through the lowering, the instructions of every core taking
 * part, leaving y on the lead core in the register of {@code node.out()}; the floating-point order
 * of every sum is fixed by core index, never by timing.
 */
public interface MatVecMapping extends org.meshemu.scenario.Named {
    /** The scenario name ({@code workload.mapping}). */
    @Override
    String name();

    void lower(Lowering l, Graph.MatVec node);
}
