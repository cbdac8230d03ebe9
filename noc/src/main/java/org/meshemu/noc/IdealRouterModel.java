package org.meshemu.noc;

import static org.meshemu.noc.Grid2d.DIRECTIONS;
import static org.meshemu.noc.Grid2d.OPPOSITE;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Census;
import org.meshemu.noc.Topology.Chip;
import org.meshemu.noc.Topology.Edge;
import org.meshemu.noc.Topology.Network;

/**
 * {@code ideal}: a {@link Router} per node and a {@link Link} component per direction to each
 * neighbour, after the router's pipeline delay (the package's timing model).
 */
public final class IdealRouterModel implements RouterModel {
    @Override public String name() { return "ideal"; }

    /** Each node's router and its channels to and from its core; each link a component of two channels. */
    @Override
    public Census census(long routers, long links) {
        return new Census(routers, links, 2 * routers + 2 * links);
    }

    @Override
    public Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip, Grid2d.Shape shape) {
        Routing routing = chip.routing().apply(Routing.REGISTRY.named(noc.routing()).on(shape), DIRECTIONS.size());
        List<String> outputs = new ArrayList<>(DIRECTIONS);
        outputs.addAll(chip.portNames());
        List<String> inputs = Router.inputsFacing(outputs);
        var routerPorts = Router.ports(outputs, inputs);
        var linkPorts = Link.ports(inputs);
        int buffer = noc.bufferPackets();
        FlowControl flow = FlowControl.REGISTRY.named(noc.flowControl());
        int flit = noc.link().bytesPerCycle();
        Link.Rate rate = noc.link().rate(cyclePs);
        // every link of the chip is made alike: one factory for all (a factory a link was 32 bytes, kept for the run)
        Supplier<Link> newLink = () -> new Link(rate, flow, flit, buffer, linkPorts, buffer > 0);
        var label = Chip.labels(chip);
        int loc = chip.firstLocality();
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] routers = new int[shape.nodes()];
        for (int n = 0; n < shape.nodes(); n++) {
            final int node = n;
            routers[n] = b.add("router", label.apply("router(" + shape.x(n) + "," + shape.y(n) + ")"), loc + n, routerPorts,
                    () -> new Router(node, routing, routerPorts, outputs.size(), buffer > 0));
            b.connect(cores[n], "net", routers[n], "in", noc.injectionCycles() * cyclePs);
            b.connect(routers[n], "eject", cores[n], "net", routerPs);
        }
        List<Integer> links = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (int n = 0; n < shape.nodes(); n++) {
            for (int d = 0; d < DIRECTIONS.size(); d++) {
                int to = shape.neighbour(n, d);
                if (to < 0) continue;
                int link = b.add("link", label.apply("link(" + shape.x(n) + "," + shape.y(n) + ")." + DIRECTIONS.get(d)), loc + n, linkPorts,
                        newLink);
                String input = inputs.get(OPPOSITE[d]); // it arrives from the neighbour's point of view opposite
                b.connect(routers[n], DIRECTIONS.get(d), link, Link.HOP.name(), routerPs);
                b.connect(link, "out", routers[to], input, linkPs);
                links.add(link);
                edges.add(new Edge(link, routers[n], routers[to], input, linkPs));
            }
        }
        return new Network(routers, links.stream().mapToInt(Integer::intValue).toArray(), edges, inputs, -1);
    }
}
