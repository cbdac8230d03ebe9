package org.meshemu.noc;

import java.util.Map;
import java.util.function.Function;
import org.meshemu.scenario.InputException;

/**
 * A routing function: at router {@code here}, which output a packet for {@code destination} takes.
 * Deterministic (the same pair always takes the same path, so the packets of one message stay in
 * order). Outputs are topology-defined direction numbers; {@link #EJECT} delivers to the local
 * endpoint. Implementations are registered by name in {@link #REGISTRY}.
 */
public interface Routing {
    int EJECT = -1;

    int route(int here, int destination);

    /** Routing functions of grid topologies (mesh2d, torus2d) by scenario name. */
    Map<String, Function<Grid2d.Shape, Routing>> REGISTRY = Map.of(
            "xy", DimensionOrder::xy,
            "yx", DimensionOrder::yx);

    static Routing named(String name, Grid2d.Shape shape) {
        var make = REGISTRY.get(name);
        if (make == null) throw new InputException("hardware.noc.routing", "'" + name + "'", "one of " + new java.util.TreeSet<>(REGISTRY.keySet()));
        return make.apply(shape);
    }
}
