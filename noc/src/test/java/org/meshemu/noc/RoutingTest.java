package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

class RoutingTest {
    final Mesh2d.Shape shape = new Mesh2d.Shape(4, 3);
    final Routing xy = Routing.named("xy", shape);

    @Test
    void xyRoutesAlongXFirstThenY() {
        int from = shape.node(1, 1);
        assertEquals(Mesh2d.EAST, xy.route(from, shape.node(3, 0)));
        assertEquals(Mesh2d.WEST, xy.route(from, shape.node(0, 2)));
        assertEquals(Mesh2d.NORTH, xy.route(from, shape.node(1, 0)));
        assertEquals(Mesh2d.SOUTH, xy.route(from, shape.node(1, 2)));
        assertEquals(Routing.EJECT, xy.route(from, from));
    }

    @Test
    void followingTheRouteTakesManhattanDistanceHops() {
        for (int a = 0; a < shape.nodes(); a++) {
            for (int b = 0; b < shape.nodes(); b++) {
                int hops = 0;
                for (int at = a, d; (d = xy.route(at, b)) != Routing.EJECT; hops++) at = shape.neighbour(at, d);
                assertEquals(shape.hops(a, b), hops);
            }
        }
    }

    @Test
    void unknownRoutingIsABadInputNamingTheField() {
        InputException e = assertThrows(InputException.class, () -> Routing.named("zigzag", shape));
        assertTrue(e.getMessage().startsWith("hardware.noc.routing: must be one of"), e.getMessage());
    }
}
