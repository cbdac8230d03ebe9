package org.meshemu.noc;

import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A routing function: at router {@code here}, which output a packet for {@code destination} takes.
 * Deterministic (the same pair always takes the same path, so the packets of one message stay in
 * order). Outputs are topology-defined direction numbers; {@link #EJECT} delivers to the local
 * endpoint. The routing functions of grid topologies are registered by name in {@link #REGISTRY}.
 */
public interface Routing {
    int EJECT = -1;

    int route(int here, int destination);

    /** A routing function of grid topologies (mesh2d, torus2d), made for one grid. */
    interface Factory extends Named {
        Routing on(Grid2d.Shape shape);
    }

    /** Routing functions of grid topologies by scenario name ({@code hardware.noc.routing}). */
    Registry<Factory> REGISTRY = Registry.of(Factory.class, "hardware.noc.routing");
}
