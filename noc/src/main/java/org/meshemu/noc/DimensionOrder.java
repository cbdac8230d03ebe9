package org.meshemu.noc;

/**
 * Dimension-order routing on a 2D mesh: all the way along X first, then along Y. Deadlock-free on
 * a mesh without virtual channels, and minimal.
 */
final class DimensionOrder implements Routing {
    private final Mesh2d.Shape shape;

    private DimensionOrder(Mesh2d.Shape shape) { this.shape = shape; }

    static Routing xy(Mesh2d.Shape shape) { return new DimensionOrder(shape); }

    @Override
    public int route(int here, int destination) {
        int x = shape.x(here), y = shape.y(here);
        int dx = shape.x(destination), dy = shape.y(destination);
        if (dx > x) return Mesh2d.EAST;
        if (dx < x) return Mesh2d.WEST;
        if (dy > y) return Mesh2d.SOUTH;
        if (dy < y) return Mesh2d.NORTH;
        return EJECT;
    }
}
