package org.meshemu.noc;

import static org.meshemu.noc.Grid2d.DIRECTIONS;
import static org.meshemu.noc.Grid2d.EAST;
import static org.meshemu.noc.Grid2d.NORTH;
import static org.meshemu.noc.Grid2d.OPPOSITE;
import static org.meshemu.noc.Grid2d.WEST;

import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Census;
import org.meshemu.noc.Topology.Chip;
import org.meshemu.noc.Topology.Network;
import org.meshemu.scenario.InputException;

/**
 * {@code vc}: a grid of {@link VcRouter}s, each direction a flit channel and a credit channel back,
 * both of the link latency less 1 ps (see {@link VcRouter}); a single chip only.
 */
public final class VcRouterModel implements RouterModel {
    @Override public String name() { return "vc"; }

    /** A link is two channels between routers (flits, credits), no component. */
    @Override
    public Census census(long routers, long links) {
        return new Census(routers, 0, 2 * routers + 2 * links);
    }

    @Override
    public Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip, Grid2d.Shape shape) {
        if (!chip.portNames().isEmpty()) {
            throw new InputException("hardware.noc.router", "'vc'", "ideal with several chips (the vc router is wired on one mesh2d or torus2d chip)");
        }
        if (cyclePs < 2) throw new InputException("hardware.core.clockGHz", 1000.0 / cyclePs, "at most 500 with the vc router (a cycle of >= 2 ps)");
        if (shape.wrap() && noc.vc().count() < 2) {
            throw new InputException("hardware.noc.vc.count", noc.vc().count(), ">= 2 on a torus (two dateline classes)");
        }
        Allocator.REGISTRY.named(noc.vc().allocator()); // names a bad allocator before anything is built
        Routing routing = Routing.REGISTRY.named(noc.routing()).on(shape);
        var ports = VcRouter.ports(DIRECTIONS);
        var label = Chip.labels(chip);
        int loc = chip.firstLocality();
        long channelPs = noc.link().latencyCycles() * cyclePs - 1;
        int[] routers = new int[shape.nodes()];
        for (int n = 0; n < shape.nodes(); n++) {
            final int node = n;
            boolean[] wraps = null;
            if (shape.wrap()) {
                wraps = new boolean[DIRECTIONS.size()];
                for (int d = 0; d < wraps.length; d++) wraps[d] = wrapsAround(shape, n, d);
            }
            final boolean[] dateline = wraps;
            routers[n] = b.add("router", label.apply("router(" + shape.x(n) + "," + shape.y(n) + ")"), loc + n, ports,
                    () -> new VcRouter(node, routing, ports, DIRECTIONS.size(), dateline, cyclePs, noc.link().bytesPerCycle(), noc.vc()));
            b.connect(cores[n], "net", routers[n], VcRouter.IN.name(), noc.injectionCycles() * cyclePs - 1);
            // The destination's interface takes a flit the cycle after its channel delivers it (as BookSim's).
            b.connect(routers[n], "eject", cores[n], "net", (noc.link().latencyCycles() + 1) * cyclePs);
        }
        for (int n = 0; n < shape.nodes(); n++) {
            for (int d = 0; d < DIRECTIONS.size(); d++) {
                int to = shape.neighbour(n, d);
                if (to < 0) continue;
                String facing = DIRECTIONS.get(OPPOSITE[d]);
                b.connect(routers[n], DIRECTIONS.get(d), routers[to], "from-" + facing, channelPs);
                b.connect(routers[to], "credit-" + facing, routers[n], "credits-" + DIRECTIONS.get(d), channelPs);
            }
        }
        return new Network(routers, new int[0], List.of(), List.of(), -1);
    }

    /** Whether the link from {@code node} in {@code direction} closes its ring (the dateline). */
    private static boolean wrapsAround(Grid2d.Shape shape, int node, int direction) {
        int x = shape.x(node), y = shape.y(node);
        return switch (direction) {
            case EAST -> x == shape.width() - 1;
            case WEST -> x == 0;
            case NORTH -> y == 0;
            default -> y == shape.height() - 1;
        };
    }
}
