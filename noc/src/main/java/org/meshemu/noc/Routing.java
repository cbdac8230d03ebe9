package org.meshemu.noc;

import java.util.Map;
import java.util.function.Function;
import org.meshemu.scenario.InputException;

/**
 * A routing function: at router {@code here}, which output a packet for {@code destination} takes.
 * Outputs are topology-defined direction numbers; {@link #EJECT} delivers to the local core.
 * Implementations are registered by name in {@link #REGISTRY}.
 */
public interface Routing {
    int EJECT = -1;

    int route(int here, int destination);

    /** Routing functions by scenario name; each is made for a mesh of the given width. */
    Map<String, Function<Mesh2d.Shape, Routing>> REGISTRY = Map.of(
            "xy", DimensionOrder::xy);

    static Routing named(String name, Mesh2d.Shape shape) {
        var make = REGISTRY.get(name);
        if (make == null) throw new InputException("hardware.noc.routing", "'" + name + "'", "one of " + REGISTRY.keySet());
        return make.apply(shape);
    }
}
