package org.meshemu.noc;

import java.util.Map;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.Scenario;

/**
 * A topology is a wiring routine: given the cores already in the assembly, it adds the routers
 * and links of the network and connects every core's network port. Registered by scenario name.
 */
public interface Topology {

    /**
     * Adds the network for {@code cores} (core i is network endpoint i; each core has an output
     * port "net" and an input port "net") and returns it.
     */
    Network wire(Assembly.Builder builder, Scenario.NocSpec noc, long cyclePs, int[] cores);

    /** Topologies by scenario name. */
    Map<String, Topology> REGISTRY = Map.of(
            "mesh2d", new Grid2d(false),
            "torus2d", new Grid2d(true),
            "all-to-all", new AllToAll());

    static Topology named(String name) {
        Topology t = REGISTRY.get(name);
        if (t == null) throw new InputException("hardware.noc.topology", "'" + name + "'", "one of " + new java.util.TreeSet<>(REGISTRY.keySet()));
        return t;
    }

    /** What a topology built: component ids of its routers (by node) and links. */
    record Network(int[] routers, int[] links) {}
}
