package org.meshemu.kernel;

import java.util.Map;
import org.meshemu.tensor.Tile;

/**
 * What a component tells at the end of a run.
 *
 * @param id        the component id
 * @param kind      the component kind ("core", "router", "link", "bank", ...)
 * @param busyPs    picoseconds the component spent doing work (its utilisation is busyPs / run time)
 * @param counters  named counts (bytes moved, instructions, row hits, ...), kept as {@link Counters}
 * @param memory    tiles written into this component during the run, by address (banks only)
 */
public record ComponentReport(int id, String kind, long busyPs, Map<String, Long> counters, Map<Long, Tile> memory) {
    public ComponentReport {
        counters = Counters.copyOf(counters);
        memory = Map.copyOf(memory);
    }

    /** A report before the kernel stamps the component's id on it. */
    public static ComponentReport of(String kind, long busyPs, Map<String, Long> counters, Map<Long, Tile> memory) {
        return new ComponentReport(-1, kind, busyPs, counters, memory);
    }

    public ComponentReport withId(int id) {
        return new ComponentReport(id, kind, busyPs, counters, memory);
    }

    public long counter(String name) {
        return ((Counters) counters).get(name, 0L);
    }
}
