package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.Scenario;

/**
 * A width x height 2D mesh: node (x, y) is endpoint y * width + x; each node has a router with up
 * to four directed links to its neighbours (none off the edge).
 */
public final class Mesh2d implements Topology {
    public static final int EAST = 0, WEST = 1, NORTH = 2, SOUTH = 3;
    static final List<String> DIRECTIONS = List.of("east", "west", "north", "south");
    private static final int[] DX = {1, -1, 0, 0};
    private static final int[] DY = {0, 0, -1, 1};

    /** Node numbering of a mesh. */
    public record Shape(int width, int height) {
        public int x(int node) { return node % width; }

        public int y(int node) { return node / width; }

        public int node(int x, int y) { return y * width + x; }

        public int nodes() { return width * height; }

        /** The neighbour of {@code node} in {@code direction}, or -1 off the edge. */
        public int neighbour(int node, int direction) {
            int nx = x(node) + DX[direction], ny = y(node) + DY[direction];
            return nx < 0 || ny < 0 || nx >= width || ny >= height ? -1 : node(nx, ny);
        }

        /** Manhattan distance in hops. */
        public int hops(int a, int b) { return Math.abs(x(a) - x(b)) + Math.abs(y(a) - y(b)); }
    }

    @Override
    public Network wire(Assembly.Builder b, Scenario.NocSpec noc, long cyclePs, int[] cores) {
        Shape shape = new Shape(noc.width(), noc.height());
        if (cores.length != shape.nodes()) throw new IllegalArgumentException(cores.length + " cores for a " + shape + " mesh");
        Routing routing = Routing.named(noc.routing(), shape);
        var routerPorts = Router.ports(DIRECTIONS.size(), DIRECTIONS);
        long routerPs = noc.routerDelayCycles() * cyclePs;
        long linkPs = noc.link().latencyCycles() * cyclePs;
        int[] routers = new int[shape.nodes()];
        for (int n = 0; n < shape.nodes(); n++) {
            final int node = n;
            routers[n] = b.add("router", "router(" + shape.x(n) + "," + shape.y(n) + ")", n, routerPorts,
                    () -> new Router(node, routing, routerPorts));
            b.connect(cores[n], "net", routers[n], "in", noc.injectionCycles() * cyclePs);
            b.connect(routers[n], "eject", cores[n], "net", routerPs);
        }
        List<Integer> links = new ArrayList<>();
        for (int n = 0; n < shape.nodes(); n++) {
            for (int d = 0; d < DIRECTIONS.size(); d++) {
                int to = shape.neighbour(n, d);
                if (to < 0) continue;
                int link = b.add("link", "link(" + shape.x(n) + "," + shape.y(n) + ")." + DIRECTIONS.get(d), n, Link.PORTS,
                        () -> new Link(noc.link().bytesPerCycle(), cyclePs));
                b.connect(routers[n], DIRECTIONS.get(d), link, "in", routerPs);
                b.connect(link, "out", routers[to], "in", linkPs);
                links.add(link);
            }
        }
        return new Network(routers, links.stream().mapToInt(Integer::intValue).toArray());
    }
}
