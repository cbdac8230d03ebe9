package org.meshemu.scenario;

/**
 * An extension a scenario chooses by name: a topology, a routing function, a DRAM standard, a
 * workload, a model family. Every extension point is a {@link Registry} of one such interface.
 */
public interface Named {
    /** The name a scenario gives this extension, e.g. "mesh2d". */
    String name();
}
