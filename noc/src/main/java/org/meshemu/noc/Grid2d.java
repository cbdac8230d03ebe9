package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Edge;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.Scenario;

/**
 * A width x height grid of routers: a 2D mesh, or with {@code wrap} a 2D torus whose rows and
 * columns close into rings. Node (x, y) is endpoint y * width + x; each router has up to four
 * directed links to its neighbours, one per direction (a mesh has none off the edge; a dimension of
 * size 1 has none). The two are one wiring routine because they differ only in who the neighbour is;
 * {@link Mesh} ({@code mesh2d}) and {@link Torus} ({@code torus2d}) are the registered topologies.
 *
 * <p>Per hop a packet spends routerDelay (the router's pipeline, the latency of every channel
 * leaving it), then ceil(bytes / bytesPerCycle) on the link after it is free, then linkLatency.
 */
public abstract sealed class Grid2d implements Topology {
    public static final int EAST = 0, WEST = 1, NORTH = 2, SOUTH = 3;
    static final List<String> DIRECTIONS = List.of("east", "west", "north", "south");
    private static final int[] DX = {1, -1, 0, 0};
    private static final int[] DY = {0, 0, -1, 1};
    static final int[] OPPOSITE = {WEST, EAST, SOUTH, NORTH};

    /** Node numbering of a grid; {@code wrap}: torus. */
    public record Shape(int width, int height, boolean wrap) {
        public int x(int node) { return node % width; }

        public int y(int node) { return node / width; }

        public int node(int x, int y) { return y * width + x; }

        public int nodes() { return width * height; }

        /** The neighbour of {@code node} in {@code direction}, or -1 if there is no link that way. */
        public int neighbour(int node, int direction) {
            int nx = x(node) + DX[direction], ny = y(node) + DY[direction];
            if (wrap) {
                nx = Math.floorMod(nx, width);
                ny = Math.floorMod(ny, height);
                int to = node(nx, ny);
                return to == node ? -1 : to;
            }
            return nx < 0 || ny < 0 || nx >= width || ny >= height ? -1 : node(nx, ny);
        }

        /**
         * The hops from coordinate {@code from} to {@code to} along a dimension of {@code size}:
         * positive means the increasing direction. On a torus the shorter way round; when both ways
         * are equally long (size even, half-way) the increasing one, so that the choice made at the
         * next hop agrees with this one and every packet of a pair takes the same path.
         */
        public int offset(int from, int to, int size) {
            if (!wrap) return to - from;
            int forward = Math.floorMod(to - from, size);
            return forward <= size - forward ? forward : forward - size;
        }

        /** Hops of a minimal route. */
        public int hops(int a, int b) {
            return Math.abs(offset(x(a), x(b), width)) + Math.abs(offset(y(a), y(b), height));
        }
    }

    private final boolean wrap;

    /** {@code wrap}: a torus rather than a mesh. */
    private Grid2d(boolean wrap) { this.wrap = wrap; }

    /** {@code mesh2d}: no link off the edge. */
    public static final class Mesh extends Grid2d {
        public Mesh() { super(false); }

        @Override public String name() { return "mesh2d"; }
    }

    /** {@code torus2d}: rows and columns closed into rings. */
    public static final class Torus extends Grid2d {
        public Torus() { super(true); }

        @Override public String name() { return "torus2d"; }
    }

    public Shape shape(Scenario.NocSpec noc) { return new Shape(noc.width(), noc.height(), wrap); }

    /**
     * A router per node; per dimension of size s, 2 (s - 1) directed links per row (a torus: 2 s,
     * when s >= 2). With the vc router a link is two channels between routers (flits, credits), no
     * component.
     */
    @Override
    public Census census(Scenario.NocSpec noc) {
        long w = noc.width(), h = noc.height();
        long links = h * linksAlong(w) + w * linksAlong(h);
        if (RouterModel.REGISTRY.get(noc.router()) == RouterModel.VC) return new Census(w * h, 0, 2 * w * h + 2 * links);
        return new Census(w * h, links, 2 * w * h + 2 * links);
    }

    private long linksAlong(long size) {
        if (size < 2) return 0;
        return 2 * (wrap ? size : size - 1);
    }

    @Override
    public Network wire(Assembly.Builder b, Scenario.NocSpec noc, long cyclePs, int[] cores, Chip chip) {
        Shape shape = shape(noc);
        if (cores.length != shape.nodes()) throw new IllegalArgumentException(cores.length + " cores for a " + shape);
        if (RouterModel.named(noc.router()) == RouterModel.VC) return wireVc(b, noc, cyclePs, cores, chip, shape);
        Routing routing = chip.routing().apply(Routing.REGISTRY.named(noc.routing()).on(shape), DIRECTIONS.size());
        List<String> outputs = new ArrayList<>(DIRECTIONS);
        outputs.addAll(chip.portNames());
        List<String> inputs = Router.inputsFacing(outputs);
        var routerPorts = Router.ports(outputs, inputs);
        var linkPorts = Link.ports(inputs);
        int buffer = noc.bufferPackets();
        FlowControl flow = FlowControl.REGISTRY.named(noc.flowControl());
        int flit = noc.link().bytesPerCycle();
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
                        () -> new Link(new Link.PerCycle(flit, cyclePs), flow, flit, buffer, linkPorts, buffer > 0));
                String input = inputs.get(OPPOSITE[d]); // it arrives from the neighbour's point of view opposite
                b.connect(routers[n], DIRECTIONS.get(d), link, Link.HOP.name(), routerPs);
                b.connect(link, "out", routers[to], input, linkPs);
                links.add(link);
                edges.add(new Edge(link, routers[n], routers[to], input, linkPs));
            }
        }
        return new Network(routers, links.stream().mapToInt(Integer::intValue).toArray(), edges, inputs, -1);
    }

    /**
     * The same grid of {@link VcRouter}s: each direction a flit channel and a credit channel back,
     * both of the link latency less 1 ps (see {@link VcRouter}); a single chip only.
     */
    private Network wireVc(Assembly.Builder b, Scenario.NocSpec noc, long cyclePs, int[] cores, Chip chip, Shape shape) {
        if (!chip.portNames().isEmpty()) {
            throw new InputException("hardware.noc.router", "'vc'", "ideal with several chips (the vc router is wired on one mesh2d or torus2d chip)");
        }
        if (cyclePs < 2) throw new InputException("hardware.core.clockGHz", 1000.0 / cyclePs, "at most 500 with the vc router (a cycle of >= 2 ps)");
        if (wrap && noc.vc().count() < 2) {
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
            if (wrap) {
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
    private static boolean wrapsAround(Shape shape, int node, int direction) {
        int x = shape.x(node), y = shape.y(node);
        return switch (direction) {
            case EAST -> x == shape.width() - 1;
            case WEST -> x == 0;
            case NORTH -> y == 0;
            default -> y == shape.height() - 1;
        };
    }
}
