package org.meshemu.noc;

import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Census;
import org.meshemu.noc.Topology.Chip;
import org.meshemu.noc.Topology.Network;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A router model ({@code hardware.noc.router}): the routers of a grid chip ({@link Grid2d}) and
 * what joins neighbouring ones. {@code ideal} ({@link IdealRouterModel}): the output-queued
 * {@link Router} with links as components and a fixed pipeline delay; {@code vc}
 * ({@link VcRouterModel}): the input-queued virtual-channel {@link VcRouter}, cycle by cycle, on one
 * chip. Registered by name in {@link #REGISTRY}; an all-to-all exchange has ideal routers only.
 */
public interface RouterModel extends Named {
    /** Router models by scenario name. */
    Registry<RouterModel> REGISTRY = Registry.of(RouterModel.class, "hardware.noc.router");

    /**
     * Adds a router per node of {@code shape} for {@code cores} and joins the neighbours, as
     * {@link Topology#wire} does for the grid.
     */
    Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip, Grid2d.Shape shape);

    /** What {@link #wire} adds for {@code routers} routers joined by {@code links} directed links, counted without building. */
    Census census(long routers, long links);
}
