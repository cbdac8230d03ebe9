package org.meshemu.workloads.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.meshemu.noc.Grid2d;

class MeshRingTest {
    /** A ring over every node of a mesh (full rows) visits each node once, and ring neighbours are at most two hops apart. */
    @Test
    void aRingOnAMeshIsAPermutationWithNeighboursAtMostTwoHopsApart() {
        int[][] meshes = {{1, 1}, {2, 1}, {2, 2}, {4, 2}, {3, 3}, {4, 4}, {5, 3}, {8, 8}, {1, 5}};
        for (int[] wh : meshes) {
            Grid2d.Shape mesh = new Grid2d.Shape(wh[0], wh[1], false);
            int n = mesh.nodes();
            int[] ring = MeshRing.onMesh(wh[0], n);
            assertArrayEquals(IntStream.range(0, n).toArray(), Arrays.stream(ring).sorted().toArray(), Arrays.toString(wh));
            for (int r = 0; r < n; r++) {
                int hops = mesh.hops(ring[r], ring[(r + 1) % n]);
                assertTrue(hops <= 2, wh[0] + "x" + wh[1] + ": ring " + r + " -> " + (r + 1) + " is " + hops + " hops");
            }
            assertTrue(ring[0] == 0, "the lead core is ring position 0");
        }
    }
}
