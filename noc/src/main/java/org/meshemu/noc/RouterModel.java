package org.meshemu.noc;

import java.util.Map;
import org.meshemu.scenario.InputException;

/**
 * Router models by scenario name ({@code hardware.noc.router}): {@code ideal}, the output-queued
 * {@link Router} with links as components and a fixed pipeline delay; {@code vc}, the
 * input-queued virtual-channel {@link VcRouter}, cycle by cycle (mesh2d and torus2d chips).
 */
enum RouterModel {
    IDEAL, VC;

    static final Map<String, RouterModel> REGISTRY = Map.of("ideal", IDEAL, "vc", VC);

    static RouterModel named(String name) {
        RouterModel m = REGISTRY.get(name);
        if (m == null) throw new InputException("hardware.noc.router", "'" + name + "'", "one of " + new java.util.TreeSet<>(REGISTRY.keySet()));
        return m;
    }
}
