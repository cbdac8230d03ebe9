package org.meshemu.workloads.traffic;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A synthetic traffic pattern (BookSim2's vocabulary), registered by its scenario name
 * ({@code workload.pattern}) in {@link #REGISTRY}: for a grid it gives the destination of each packet a
 * source creates. Endpoints are numbered over the scenario's width x height grid (endpoint = y * width + x)
 * whatever the topology. A pattern may draw from the source's own seeded stream. Adding one is one class
 * and its line in {@code META-INF/services/org.meshemu.workloads.traffic.TrafficPattern}.
 */
public interface TrafficPattern extends Named {
    /** The registered patterns ({@link TrafficPatterns}). */
    Registry<TrafficPattern> REGISTRY = Registry.of(TrafficPattern.class, "workload.pattern");

    /** The destinations of this pattern over the grid and parameters {@code p}. */
    Destinations over(Params p);

    /** Where a source's packets go. */
    @FunctionalInterface
    interface Destinations {
        int destination(int source, RandomGenerator random);
    }

    /**
     * What a pattern may depend on.
     *
     * @param hotspots        endpoints of the hotspot pattern
     * @param hotspotFraction share of the hotspot pattern's packets that go to a hotspot (chosen
     *                        uniformly among them); the rest are uniform
     */
    record Params(int width, int height, List<Integer> hotspots, double hotspotFraction) {
        public Params { hotspots = List.copyOf(hotspots); }

        int nodes() { return width * height; }
    }
}
