package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
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
    public Network wire(Assembly.Builder b, Scenario.NocSpec noc, long cyclePs, int[] cores) {
        int n = cores.length;
        if (n != noc.nodes()) throw new IllegalArgumentException(n + " cores for an all-to-all of " + noc.nodes());
        List<String> names = new ArrayList<>();
        for (int j = 0; j < n; j++) names.add("to" + j);
        var exchangePorts = Router.ports(n, names);
        Routing direct = (here, destination) -> destination;
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] inject = new int[n], exchange = new int[n], eject = new int[n];
        for (int i = 0; i < n; i++) {
            final int node = i;
            inject[i] = b.add("link", "link(inject " + i + ")", i, Link.PORTS, () -> new Link(noc.link().bytesPerCycle(), cyclePs));
            exchange[i] = b.add("router", "exchange(" + i + ")", i, exchangePorts, () -> new Router(node, direct, exchangePorts));
            eject[i] = b.add("link", "link(eject " + i + ")", i, Link.PORTS, () -> new Link(noc.link().bytesPerCycle(), cyclePs));
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
