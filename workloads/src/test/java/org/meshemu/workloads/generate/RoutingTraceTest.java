package org.meshemu.workloads.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.FieldException;

/** Timing mode's routing trace: a pure function of its coordinates, two distinct experts, skewed by the exponent, redrawn by epoch. */
class RoutingTraceTest {
    private static final int EXPERTS = 8;

    private static long[] counts(RoutingTrace trace, int layer, int positions) {
        long[] n = new long[EXPERTS];
        for (int s = 0; s < 4; s++) {
            for (int p = 0; p < positions; p++) {
                for (int e : trace.route(layer, s, p)) n[e]++;
            }
        }
        return n;
    }

    @Test
    void aDecisionIsTheSameForTheSameCoordinatesAndItsTwoExpertsDiffer() {
        RoutingTrace a = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16));
        RoutingTrace b = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16));
        for (int p = 0; p < 200; p++) {
            int[] r = a.route(1, 2, p);
            assertArrayEquals(r, b.route(1, 2, p));
            assertNotEquals(r[0], r[1]);
            assertTrue(r[0] >= 0 && r[0] < EXPERTS && r[1] >= 0 && r[1] < EXPERTS);
        }
        assertNotEquals(Arrays.toString(counts(a, 0, 64)), Arrays.toString(counts(new RoutingTrace(8, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16)), 0, 64)),
                "another seed, another trace");
    }

    @Test
    void aLargerExponentConcentratesTheLoadOnFewerExperts() {
        double previous = 0;
        for (double exponent : new double[] {0, 0.8, 1.6, 3}) {
            long[] n = counts(new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", exponent, 0)), 0, 500);
            double imbalance = Arrays.stream(n).max().orElseThrow() / (Arrays.stream(n).sum() / (double) EXPERTS);
            assertTrue(imbalance > previous, "exponent " + exponent + ": imbalance " + imbalance + " after " + previous);
            previous = imbalance;
        }
    }

    @Test
    void theHotExpertMovesBetweenEpochsOnly() {
        RoutingTrace trace = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 3, 1000));
        int[] hot = new int[3];
        for (int epoch = 0; epoch < 3; epoch++) {
            long[] n = new long[EXPERTS];
            for (int p = epoch * 1000; p < epoch * 1000 + 1000; p++) n[trace.route(0, 0, p)[0]]++;
            for (int e = 1; e < EXPERTS; e++) if (n[e] > n[hot[epoch]]) hot[epoch] = e;
        }
        assertTrue(hot[0] != hot[1] || hot[1] != hot[2], "a ranking redrawn every epoch: " + Arrays.toString(hot));
    }

    @Test
    void routingFieldsAreChecked() {
        assertEquals("kind", org.junit.jupiter.api.Assertions.assertThrows(FieldException.class, () -> new GenerateSpec.Routing("hash", 1, 0)).field());
        assertEquals("exponent", org.junit.jupiter.api.Assertions.assertThrows(FieldException.class, () -> new GenerateSpec.Routing("zipf", -1, 0)).field());
        assertEquals("driftEvery", org.junit.jupiter.api.Assertions.assertThrows(FieldException.class, () -> new GenerateSpec.Routing("zipf", 1, -1)).field());
    }

    @Test
    void kExpertsAreDrawnInTurnSoTheFirstTwoAreTheTopTwoDecision() {
        RoutingTrace trace = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16));
        for (int p = 0; p < 100; p++) {
            int[] three = trace.route(0, 1, p, 3), two = trace.route(0, 1, p);
            assertArrayEquals(two, Arrays.copyOf(three, 2));
            assertEquals(3, Arrays.stream(three).distinct().count());
            assertEquals(1, trace.route(0, 1, p, 1).length);
            assertEquals(two[0], trace.route(0, 1, p, 1)[0]);
        }
    }

    @Test
    void aThresholdGatesTraceVariesKAndIsAPureFunctionOfItsCoordinates() {
        org.meshemu.workloads.fused.SoftmaxGate gate = new org.meshemu.workloads.fused.SoftmaxGate(4, 0.2f);
        RoutingTrace a = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16));
        RoutingTrace b = new RoutingTrace(7, EXPERTS, new GenerateSpec.Routing("zipf", 1.2, 16));
        long[] perK = new long[5];
        for (int p = 0; p < 400; p++) {
            int[] r = a.route(1, 0, p, gate);
            assertArrayEquals(r, b.route(1, 0, p, gate));
            assertEquals(r.length, Arrays.stream(r).distinct().count());
            perK[r.length]++;
        }
        assertEquals(0, perK[0], "at least one expert");
        assertTrue(perK[1] > 0 && perK[2] > 0, "k varies: " + Arrays.toString(perK));
    }
}
