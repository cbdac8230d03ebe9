package org.meshemu.noc;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.function.Function;

/**
 * A synthetic traffic pattern (BookSim2's vocabulary): the destination of each packet a source
 * creates. Endpoints are numbered over the scenario's width x height grid (endpoint = y * width + x)
 * whatever the topology. A pattern may draw from the source's own seeded stream. Registered by
 * scenario name in {@link #REGISTRY}.
 */
@FunctionalInterface
public interface TrafficPattern {
    int destination(int source, RandomGenerator random);

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

    /**
     * Patterns by scenario name.
     * <ul>
     *   <li>uniform: every endpoint, itself included, equally likely (as BookSim's uniform)</li>
     *   <li>transpose: (x, y) to (y, x); needs a square grid; diagonal endpoints send to themselves</li>
     *   <li>bit-complement: (x, y) to (width-1-x, height-1-y), which is the complement of every
     *       address bit when width and height are powers of two</li>
     *   <li>hotspot: a hotspot with probability hotspotFraction, else uniform</li>
     *   <li>neighbor: (x, y) to (x+1, y+1), wrapping (as BookSim's neighbor)</li>
     * </ul>
     */
    Map<String, Function<Params, TrafficPattern>> REGISTRY = Map.of(
            "uniform", p -> (s, r) -> r.nextInt(p.nodes()),
            "transpose", p -> (s, r) -> (s % p.width()) * p.width() + s / p.width(),
            "bit-complement", p -> (s, r) -> p.nodes() - 1 - s,
            "hotspot", p -> (s, r) -> r.nextDouble() < p.hotspotFraction()
                    ? p.hotspots().get(r.nextInt(p.hotspots().size())) : r.nextInt(p.nodes()),
            "neighbor", p -> (s, r) -> ((s / p.width() + 1) % p.height()) * p.width() + (s % p.width() + 1) % p.width());
}
