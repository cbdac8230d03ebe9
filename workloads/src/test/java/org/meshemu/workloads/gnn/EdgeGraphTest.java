package org.meshemu.workloads.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.scenario.InputException;

class EdgeGraphTest {
    @TempDir Path dir;

    @Test
    void readsByDestinationWithSourcesAscendingAndDuplicatesMerged() throws IOException {
        Path f = Files.writeString(dir.resolve("g.edges"), "# header\n3 1\n0 1 # comment\n\n0 1\n1 1\n2\t0\n");
        EdgeGraph g = EdgeGraph.read(f, "workload.graph.file");
        assertEquals(4, g.vertices(), "0 .. the largest id");
        assertArrayEquals(new int[] {0, 1, 4, 4, 4}, g.offsets());
        assertArrayEquals(new int[] {2, 0, 1, 3}, g.sources(), "into 0: 2; into 1: 0, 1 (self-loop), 3");
        EdgeGraph loops = g.withSelfLoops();
        assertEquals(4 + 3, loops.edges(), "one self-loop per vertex, 1 -> 1 kept once");
        assertArrayEquals(new int[] {0, 2, 0, 1, 3, 2, 3}, loops.sources());
    }

    @Test
    void aBadLineNamesTheFileAndTheLine() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.edges"), "0 1\n# fine\n1 -2\n");
        InputException e = assertThrows(InputException.class, () -> EdgeGraph.read(f, "s.yaml: workload.graph.file"));
        assertTrue(e.getMessage().contains("s.yaml: workload.graph.file: " + f + ":3"), e.getMessage());
        assertTrue(e.getMessage().contains("'1 -2'"), e.getMessage());
    }

    @Test
    void rmatIsSeededAndSkewed() {
        EdgeGraph a = EdgeGraph.rmat(5, 1024, 8192, 0.57, 0.19, 0.19), b = EdgeGraph.rmat(5, 1024, 8192, 0.57, 0.19, 0.19);
        assertArrayEquals(a.sources(), b.sources());
        assertArrayEquals(a.offsets(), b.offsets());
        assertTrue(a.edges() <= 8192 && a.edges() > 4096, "duplicates merged: " + a.edges());
        int low = 0, high = 0;
        for (int d = 0; d < 1024; d++) if (d < 512) low += a.inDegree(d); else high += a.inDegree(d);
        assertTrue(low > 2 * high, "a + c > b + d puts more edges into low ids: " + low + " vs " + high);
        EdgeGraph odd = EdgeGraph.rmat(5, 1000, 5000, 0.57, 0.19, 0.19);
        assertTrue(odd.sources().length > 0 && java.util.Arrays.stream(odd.sources()).allMatch(s -> s < 1000));
    }
}
