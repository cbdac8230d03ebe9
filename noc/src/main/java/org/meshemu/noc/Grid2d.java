package org.meshemu.noc;

import java.util.List;
import org.meshemu.kernel.Assembly;
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

        /** Whether the link from {@code node} in {@code direction} closes its ring (on a torus: the dateline). */
        public boolean wrapsAround(int node, int direction) {
            return switch (direction) {
                case EAST -> x(node) == width - 1;
                case WEST -> x(node) == 0;
                case NORTH -> y(node) == 0;
                default -> y(node) == height - 1;
            };
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

    public Shape shape(NocSpec noc) { return new Shape(noc.width(), noc.height(), wrap); }

    /**
     * A router per node; per dimension of size s, 2 (s - 1) directed links per row (a torus: 2 s,
     * when s >= 2); what they are built of is the router model's ({@link RouterModel#census}).
     */
    @Override
    public Census census(NocSpec noc) {
        long w = noc.width(), h = noc.height();
        long links = h * linksAlong(w) + w * linksAlong(h);
        return RouterModel.REGISTRY.named(noc.router()).census(w * h, links);
    }

    private long linksAlong(long size) {
        if (size < 2) return 0;
        return 2 * (wrap ? size : size - 1);
    }

    @Override
    public RouterModel routerModel(NocSpec noc) { return RouterModel.REGISTRY.named(noc.router()); }

    @Override
    public Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip) {
        Shape shape = shape(noc);
        if (cores.length != shape.nodes()) throw new IllegalArgumentException(cores.length + " cores for a " + shape);
        return routerModel(noc).wire(b, noc, cyclePs, cores, chip, shape);
    }
}
