package org.meshemu.workloads.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;

class TrafficPatternsTest {
    private static final TrafficPattern.Params GRID = new TrafficPattern.Params(4, 4, List.of(5), 1.0);

    private static int to(String pattern, int source) {
        return TrafficPattern.REGISTRY.named(pattern).over(GRID).destination(source, new SplittableRandom(1));
    }

    @Test
    void everyShippedPatternIsRegisteredByItsScenarioName() {
        assertEquals(List.of("bit-complement", "hotspot", "neighbor", "transpose", "uniform"), TrafficPattern.REGISTRY.names());
    }

    @Test
    void thePermutationsSendWhereBookSimsPatternsOfTheSameNameDo() {
        // endpoint = y * 4 + x; (x, y) = (1, 2) is endpoint 9
        assertEquals(2 * 4 + 1, to("transpose", 1 * 4 + 2), "(2, 1) to (1, 2)");
        assertEquals(5, to("transpose", 5), "the diagonal sends to itself");
        assertEquals(15 - 9, to("bit-complement", 9), "(1, 2) to (2, 1)");
        assertEquals(3 * 4 + 2, to("neighbor", 9), "(1, 2) to (2, 3)");
        assertEquals(0, to("neighbor", 15), "(3, 3) wraps to (0, 0)");
        assertEquals(5, to("hotspot", 0), "hotspotFraction 1: always the hotspot");
        for (int s = 0; s < 16; s++) {
            int d = to("uniform", s);
            assertTrue(d >= 0 && d < 16, "uniform destination " + d);
        }
    }

    @Test
    void anUnknownPatternNamesTheFieldAndTheRegisteredNames() {
        InputException e = assertThrows(InputException.class, () -> TrafficPattern.REGISTRY.named("s.yaml", "tornado"));
        assertEquals("s.yaml: workload.pattern: must be one of [bit-complement, hotspot, neighbor, transpose, uniform], got 'tornado'", e.getMessage());
    }
}
