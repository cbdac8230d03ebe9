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
        List<String> names = new ArrayList<>();
        for (int j = 0; j < n; j++) names.add("to" + j);
        var exchangePorts = Router.ports(n, names);
        Routing direct = (here, destination) -> destination;
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] inject = new int[n], exchange = new int[n], eject = new int[n];
        for (int i = 0; i < n; i++) {
            final int node = i;
            inject[i] = b.add("link", label.apply("link(inject " + i + ")"), loc + i, Link.PORTS, () -> new Link(noc.link().bytesPerCycle(), cyclePs));
            exchange[i] = b.add("router", label.apply("exchange(" + i + ")"), loc + i, exchangePorts, () -> new Router(node, direct, exchangePorts));
            eject[i] = b.add("link", label.apply("link(eject " + i + ")"), loc + i, Link.PORTS, () -> new Link(noc.link().bytesPerCycle(), cyclePs));
        }
        int[] links = new int[2 * n];
        for (int i = 0; i < n; i++) {
            b.connect(cores[i], "net", inject[i], "in", noc.injectionCycles() * cyclePs);
            b.connect(inject[i], "out", exchange[i], "in", linkPs);
            for (int j = 0; j < n; j++) b.connect(exchange[i], names.get(j), eject[j], "in", routerPs);
            b.connect(eject[i], "out", cores[i], "net", linkPs);
            links[2 * i] = inject[i];
            links[2 * i + 1] = eject[i];
        }
        return new Network(exchange, links);
    }
}
