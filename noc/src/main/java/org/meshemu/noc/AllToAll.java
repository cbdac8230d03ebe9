package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.InputException;

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
 *
 * <p>On one of several chips the exchange is also the chip's gateway, as the IPU's exchange
 * reaches its IPU-Links: every exchange port i drives every chip link (so a chip link, like an
 * eject link, serialises everything the chip's tiles send that way, FIFO), and the chip links
 * entering the chip meet one more exchange port, the gateway, that fans out to every eject link
 * (and, for a route through this chip, to the chip links out):
 * <pre>
 *   endpoint i -> inject(i) -> exchange(i) -> chip link -> exchange(gateway) of chip c' -> eject(j) -> endpoint j of c'
 * </pre>
 * So a chip crossing adds one exchange traversal and one chip link, as on a grid chip, and never
 * an on-chip trip to a port: {@code hardware.chips.ports} does not apply.
 */
public final class AllToAll implements Topology {

    @Override public String name() { return "all-to-all"; }

    @Override public boolean everyRouterIsAPort() { return true; }

    /** An exchange port, an inject and an eject link per node; every port wired to every eject link. */
    @Override
    public Census census(NocSpec noc) {
        long n = noc.nodes();
        return new Census(n, 2 * n, n * n + 3 * n);
    }

    @Override
    public Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip) {
        if (!(RouterModel.REGISTRY.named(noc.router()) instanceof IdealRouterModel)) {
            throw new InputException("hardware.noc.router", "'" + noc.router() + "'", "ideal on an all-to-all exchange");
        }
        int n = cores.length;
        if (n != noc.nodes()) throw new IllegalArgumentException(n + " cores for an all-to-all of " + noc.nodes());
        var label = Chip.labels(chip);
        int loc = chip.firstLocality();
        List<String> outputs = new ArrayList<>(), inputs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            outputs.add("to" + j);
            inputs.add("from-inject" + j);
        }
        outputs.addAll(chip.portNames());
        inputs.addAll(Router.inputsFacing(chip.portNames()));
        // Exchange port i uses only its input "from-inject<i>" (the gateway only the chip links'),
        // but every port declares them all, so the packets a link starts name the buffer they leave.
        var exchangePorts = Router.ports(outputs, inputs);
        var ejectPorts = Link.intoEndpoint(inputs);
        var injectPorts = Link.ports(List.of());
        int buffer = noc.bufferPackets();
        FlowControl flow = FlowControl.REGISTRY.named(noc.flowControl());
        int flit = noc.link().bytesPerCycle();
        Link.Rate rate = noc.link().rate(cyclePs);
        Routing routing = chip.routing().apply((here, destination) -> destination, n);
        List<Topology.Edge> edges = new ArrayList<>();
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] inject = new int[n], exchange = new int[n], eject = new int[n];
        Supplier<Link> newInject = () -> new Link(rate, flow, flit, buffer, injectPorts, false); // one factory for all, as links are alike
        Supplier<Link> newEject = () -> new Link(rate, flow, flit, 0, ejectPorts, buffer > 0);
        for (int i = 0; i < n; i++) {
            final int node = i;
            inject[i] = b.add("link", label.apply("link(inject " + i + ")"), loc + i, injectPorts, newInject);
            exchange[i] = b.add("router", label.apply("exchange(" + i + ")"), loc + i, exchangePorts,
                    () -> new Router(node, routing, exchangePorts, outputs.size(), buffer > 0));
            eject[i] = b.add("link", label.apply("link(eject " + i + ")"), loc + i, ejectPorts, newEject);
        }
        int[] links = new int[2 * n];
        for (int i = 0; i < n; i++) {
            b.connect(cores[i], "net", inject[i], Link.IN.name(), noc.injectionCycles() * cyclePs);
            b.connect(inject[i], "out", exchange[i], inputs.get(i), linkPs);
            edges.add(new Topology.Edge(inject[i], -1, exchange[i], inputs.get(i), linkPs));
            fanOut(b, exchange[i], outputs, eject, routerPs, linkPs, edges);
            b.connect(eject[i], "out", cores[i], "net", linkPs);
            links[2 * i] = inject[i];
            links[2 * i + 1] = eject[i];
        }
        int gateway = -1;
        if (!chip.portNames().isEmpty()) {
            // Node n: past every endpoint, so the routing function never mistakes it for one.
            gateway = b.add("router", label.apply("exchange(gateway)"), loc + n / 2, exchangePorts,
                    () -> new Router(n, routing, exchangePorts, outputs.size(), buffer > 0));
            fanOut(b, gateway, outputs, eject, routerPs, linkPs, edges);
        }
        return new Network(exchange, links, edges, inputs, gateway);
    }

    /** Connects exchange port {@code from} to every eject link. */
    private static void fanOut(Assembly.Builder b, int from, List<String> outputs, int[] eject, long routerPs, long linkPs,
                               List<Topology.Edge> edges) {
        for (int j = 0; j < eject.length; j++) {
            b.connect(from, outputs.get(j), eject[j], Link.HOP.name(), routerPs);
            edges.add(new Topology.Edge(eject[j], from, -1, null, linkPs));
        }
    }
}
