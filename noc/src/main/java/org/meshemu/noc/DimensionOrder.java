package org.meshemu.noc;

/**
 * Dimension-order routing on a 2D grid: all the way along the first dimension, then along the
 * second ({@code xy}: X first, {@code yx}: Y first). Minimal on a mesh and on a torus, where each
 * dimension is travelled the shorter way round and a half-way tie goes the increasing way (see
 * {@link Grid2d.Shape#offset}).
 *
 * <p>Deadlock: on a mesh dimension order is deadlock-free without virtual channels. On a torus the
 * rings of each dimension have a cyclic channel dependency, which real routers break with dateline
 * virtual channels. This model has none: with unbounded buffers (the default) a cycle of waiting
 * packets cannot form, so a torus behaves like an ideal deadlock-free router; with finite buffers
 * ({@code bufferPackets} > 0) a torus can deadlock, and the run fails saying so.
 */
final class DimensionOrder implements Routing {
    private final Grid2d.Shape shape;
    private final boolean xFirst;

    private DimensionOrder(Grid2d.Shape shape, boolean xFirst) {
        this.shape = shape;
        this.xFirst = xFirst;
    }

    static Routing xy(Grid2d.Shape shape) { return new DimensionOrder(shape, true); }

    static Routing yx(Grid2d.Shape shape) { return new DimensionOrder(shape, false); }

    /** {@code xy}: X first. */
    public static final class Xy implements Routing.Factory {
        @Override public String name() { return "xy"; }

        @Override public Routing on(Grid2d.Shape shape) { return xy(shape); }
    }

    /** {@code yx}: Y first. */
    public static final class Yx implements Routing.Factory {
        @Override public String name() { return "yx"; }

        @Override public Routing on(Grid2d.Shape shape) { return yx(shape); }
    }

    @Override
    public int route(int here, int destination) {
        int ox = shape.offset(shape.x(here), shape.x(destination), shape.width());
        int oy = shape.offset(shape.y(here), shape.y(destination), shape.height());
        int x = ox > 0 ? Grid2d.EAST : ox < 0 ? Grid2d.WEST : EJECT;
        int y = oy > 0 ? Grid2d.SOUTH : oy < 0 ? Grid2d.NORTH : EJECT;
        int first = xFirst ? x : y, second = xFirst ? y : x;
        return first != EJECT ? first : second;
    }
}
