package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.Scenario;

/**
 * An all-to-all exchange in the manner of Graphcore's IPU: every endpoint reaches every endpoint
 * in one trip through a central exchange, and what limits it is each endpoint's own send and
 * receive bandwidth, not the path. Modelled per endpoint i as
 * <pre>
 *   endpoint i -> inject(i) link -> exchange(i) -> eject(j) link -> endpoint j
 * </pre>
 * The inject link serialises what i sends (its send bandwidth, FIFO), the exchange port fans out
 * to every eject link after the exchange's pipeline delay, and the eject link of j serialises
 * everything sent to j (its receive bandwidth, FIFO across all senders). Both links have the
 * scenario's link bandwidth and latency; the exchange's pipeline is {@code routerDelayCycles}.
 * Zero-load latency of one B-byte packet, in cycles:
 * injection + 2 ceil(B / bytesPerCycle) + 2 linkLatency + routerDelay. Width x height only sets
 * the number of endpoints; {@code routing} is not used (there is one path).
 */
public final class AllToAll implements Topology {

    @Override
    public Network wire(Assembly.Builder b, Scenario.NocSpec noc, long cyclePs, int[] cores, Chip chip) {
        int n = cores.length;
        if (n != noc.nodes()) throw new IllegalArgumentException(n + " cores for an all-to-all of " + noc.nodes());
        if (!chip.portNames().isEmpty()) {
            // A packet for another chip would have to reach a port through an endpoint's eject link,
            // which delivers to that endpoint: the exchange has no router a chip port could hang on.
            throw new InputException("hardware.noc.topology", "'all-to-all' on each of several chips",
                    "mesh2d or torus2d when hardware.chips.count > 1 (chips of an all-to-all exchange are not modelled)");
        }
        var label = Chip.labels(chip);
        int loc = chip.firstLocality();
        List<String> names = new ArrayList<>(), injects = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            names.add("to" + j);
            injects.add("from-inject" + j);
        }
        // Exchange port i uses only its input "from-inject<i>", but every port declares all n, so
        // the packets an eject link starts name the inject link whose buffer they leave.
        var exchangePorts = Router.ports(names, injects);
        var ejectPorts = Link.ports(injects);
        int buffer = noc.bufferPackets();
        Link.Rate rate = new Link.PerCycle(noc.link().bytesPerCycle(), cyclePs);
        Routing direct = (here, destination) -> destination;
        List<Topology.Edge> edges = new ArrayList<>();
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] inject = new int[n], exchange = new int[n], eject = new int[n];
        for (int i = 0; i < n; i++) {
            final int node = i;
            inject[i] = b.add("link", label.apply("link(inject " + i + ")"), loc + i, Link.PORTS, () -> new Link(rate, buffer, Link.PORTS, false));
            exchange[i] = b.add("router", label.apply("exchange(" + i + ")"), loc + i, exchangePorts,
                    () -> new Router(node, direct, exchangePorts, n, buffer > 0));
            eject[i] = b.add("link", label.apply("link(eject " + i + ")"), loc + i, ejectPorts, () -> new Link(rate, 0, ejectPorts, buffer > 0));
        }
        int[] links = new int[2 * n];
        for (int i = 0; i < n; i++) {
            b.connect(cores[i], "net", inject[i], Link.IN.name(), noc.injectionCycles() * cyclePs);
            b.connect(inject[i], "out", exchange[i], injects.get(i), linkPs);
            edges.add(new Topology.Edge(inject[i], -1, exchange[i], injects.get(i), linkPs));
            for (int j = 0; j < n; j++) {
                b.connect(exchange[i], names.get(j), eject[j], Link.HOP.name(), routerPs);
                edges.add(new Topology.Edge(eject[j], exchange[i], -1, null, linkPs));
            }
            b.connect(eject[i], "out", cores[i], "net", linkPs);
            links[2 * i] = inject[i];
            links[2 * i + 1] = eject[i];
        }
        return new Network(exchange, links, edges);
    }
}
