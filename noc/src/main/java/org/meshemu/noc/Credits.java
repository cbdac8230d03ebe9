package org.meshemu.noc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshemu.kernel.Assembly;

/**
 * Wires credit-based flow control from the links' ends, whatever the topology: the buffer of
 * input I at router R is filled by the link entering there, and emptied either by R ejecting the
 * packet or by a link leaving R starting it. So R and every link leaving R get a channel back to
 * that link, named {@code credit-I}, as slow as the link's own wire (credits are messages too, and
 * every channel needs a latency > 0).
 */
final class Credits {
    private Credits() {}

    static void wire(Assembly.Builder b, List<Topology.Edge> edges) {
        Map<Integer, List<Integer>> leaving = new HashMap<>();
        for (Topology.Edge e : edges) {
            if (e.from() >= 0) leaving.computeIfAbsent(e.from(), r -> new ArrayList<>()).add(e.link());
        }
        Set<Integer> entered = new HashSet<>();
        for (Topology.Edge into : edges) {
            // A link fed by several routers appears once per feeder but enters one buffer: wire it once.
            if (into.to() < 0 || !entered.add(into.link())) continue;
            String credit = "credit-" + into.input();
            b.connect(into.to(), credit, into.link(), Link.CREDIT_IN.name(), into.latencyPs());
            for (int out : leaving.getOrDefault(into.to(), List.of())) {
                b.connect(out, credit, into.link(), Link.CREDIT_IN.name(), into.latencyPs());
            }
        }
    }
}
