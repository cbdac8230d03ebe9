package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

/** Next hops of the registered routing functions on meshes and tori. */
class RoutingTest {
    private static final Grid2d.Shape MESH = new Grid2d.Shape(4, 4, false);
    private static final Grid2d.Shape TORUS = new Grid2d.Shape(4, 4, true);
    private static final Grid2d.Shape TORUS5 = new Grid2d.Shape(5, 5, true);

    @Test
    void xyGoesAlongXFirstThenY() {
        Routing xy = Routing.REGISTRY.named("xy").on(MESH);
        assertEquals(Grid2d.EAST, xy.route(MESH.node(0, 0), MESH.node(2, 3)));
        assertEquals(Grid2d.WEST, xy.route(MESH.node(3, 0), MESH.node(2, 3)));
        assertEquals(Grid2d.SOUTH, xy.route(MESH.node(2, 0), MESH.node(2, 3)));
        assertEquals(Grid2d.NORTH, xy.route(MESH.node(2, 3), MESH.node(2, 0)));
        assertEquals(Routing.EJECT, xy.route(MESH.node(1, 1), MESH.node(1, 1)));
    }

    @Test
    void yxGoesAlongYFirstThenX() {
        Routing yx = Routing.REGISTRY.named("yx").on(MESH);
        assertEquals(Grid2d.SOUTH, yx.route(MESH.node(0, 0), MESH.node(2, 3)));
        assertEquals(Grid2d.EAST, yx.route(MESH.node(0, 3), MESH.node(2, 3)));
        assertEquals(Grid2d.NORTH, yx.route(MESH.node(3, 3), MESH.node(0, 0)));
        assertEquals(Grid2d.WEST, yx.route(MESH.node(3, 0), MESH.node(0, 0)));
    }

    @Test
    void meshNeverWraps() {
        // From x=0 to x=3 on a mesh the only way is east, 3 hops.
        assertEquals(Grid2d.EAST, Routing.REGISTRY.named("xy").on(MESH).route(MESH.node(0, 0), MESH.node(3, 0)));
        assertEquals(3, MESH.hops(MESH.node(0, 0), MESH.node(3, 0)));
        assertEquals(-1, MESH.neighbour(MESH.node(0, 0), Grid2d.WEST));
    }

    @Test
    void torusTakesTheShorterWayRound() {
        Routing xy = Routing.REGISTRY.named("xy").on(TORUS5);
        // 0 -> 4 on a ring of 5: west over the wrap link is 1 hop, east is 4.
        assertEquals(Grid2d.WEST, xy.route(TORUS5.node(0, 0), TORUS5.node(4, 0)));
        assertEquals(Grid2d.EAST, xy.route(TORUS5.node(4, 0), TORUS5.node(0, 0)));
        assertEquals(Grid2d.NORTH, xy.route(TORUS5.node(2, 0), TORUS5.node(2, 3))); // 2 up over the wrap, 3 down
        assertEquals(Grid2d.SOUTH, xy.route(TORUS5.node(2, 0), TORUS5.node(2, 2))); // n-1 / n: 2 down, 3 up
        assertEquals(1, TORUS5.hops(TORUS5.node(0, 0), TORUS5.node(4, 0)));
        assertEquals(TORUS5.node(4, 0), TORUS5.neighbour(TORUS5.node(0, 0), Grid2d.WEST));
    }

    @Test
    void torusHalfWayTieGoesTheIncreasingWayAtEveryHop() {
        Routing xy = Routing.REGISTRY.named("xy").on(TORUS);
        // 0 -> 2 on a ring of 4: two hops either way; increasing (east), and still east at x=1.
        assertEquals(Grid2d.EAST, xy.route(TORUS.node(0, 0), TORUS.node(2, 0)));
        assertEquals(Grid2d.EAST, xy.route(TORUS.node(1, 0), TORUS.node(2, 0)));
        // 2 -> 0: also a tie, so east over the wrap link (3 then 0).
        assertEquals(Grid2d.EAST, xy.route(TORUS.node(2, 0), TORUS.node(0, 0)));
        assertEquals(Grid2d.EAST, xy.route(TORUS.node(3, 0), TORUS.node(0, 0)));
        assertEquals(Grid2d.SOUTH, xy.route(TORUS.node(0, 0), TORUS.node(0, 2)));
        assertEquals(4, TORUS.hops(TORUS.node(0, 0), TORUS.node(2, 2)), "two ties: 2 + 2 hops");
    }

    @Test
    void everyRouteReachesItsDestinationInMinimalHops() {
        for (Grid2d.Shape shape : new Grid2d.Shape[] {MESH, TORUS, TORUS5, new Grid2d.Shape(3, 1, true)}) {
            for (String name : Routing.REGISTRY.names()) {
                Routing r = Routing.REGISTRY.named(name).on(shape);
                for (int s = 0; s < shape.nodes(); s++) {
                    for (int d = 0; d < shape.nodes(); d++) {
                        int here = s, hops = 0;
                        for (int dir; (dir = r.route(here, d)) != Routing.EJECT; hops++) {
                            here = shape.neighbour(here, dir);
                            if (here < 0 || hops > shape.nodes()) throw new AssertionError(name + " " + shape + " " + s + "->" + d + " lost");
                        }
                        assertEquals(shape.hops(s, d), hops, name + " " + shape + " " + s + "->" + d);
                    }
                }
            }
        }
    }

    @Test
    void unknownRoutingNamesThePathAndTheChoices() {
        InputException e = assertThrows(InputException.class, () -> Routing.REGISTRY.named("west-first").on(MESH));
        assertEquals("hardware.noc.routing: must be one of [xy, yx], got 'west-first'", e.getMessage());
    }
}
