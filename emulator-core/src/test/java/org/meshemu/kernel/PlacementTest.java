package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
    /** {@code n} components, one locality each (a row-major mesh of single-component nodes). */
    static Assembly of(int n) {
        Assembly.Builder b = Assembly.builder(1);
        for (int i = 0; i < n; i++) b.add("phold", "c" + i, i, Phold.ports(0), () -> new Phold(0, 0, 0, 0));
        return b.build();
    }

    @Test
    void zeroPartitionsChoosesOneBelowTheThresholdAndOnePerThreadFromIt() {
        assertEquals(1, Placement.choose(of(Placement.SPLIT_FROM_COMPONENTS - 1), 0, 2, 1).partitions());
        assertEquals(2, Placement.choose(of(Placement.SPLIT_FROM_COMPONENTS), 0, 2, 1).partitions());
        assertEquals(1, Placement.choose(of(Placement.SPLIT_FROM_COMPONENTS), 0, 1, 1).partitions(), "one thread");
        assertEquals(3, Placement.choose(of(10), 3, 2, 1).partitions(), "a number asked for is taken as it is");
        assertThrows(IllegalArgumentException.class, () -> Placement.choose(of(10), -1, 2, 1));
    }

    @Test
    void cutsFallBetweenWholeUnitsWhereThereAreEnough() {
        Placement chips = Placement.byLocality(of(64), 2, 16); // 4 chips of 16 localities
        for (int i = 0; i < 64; i++) assertEquals(i < 32 ? 0 : 1, chips.partitionOf()[i], "component " + i);
        Placement three = Placement.byLocality(of(64), 3, 16); // 4 chips over 3 partitions: still whole chips
        for (int c = 0; c < 4; c++) {
            for (int i = 1; i < 16; i++) assertEquals(three.partitionOf()[16 * c], three.partitionOf()[16 * c + i], "chip " + c);
        }
        Placement fewChips = Placement.byLocality(of(64), 8, 16); // fewer chips than partitions: cut inside them
        assertEquals(8, java.util.Arrays.stream(fewChips.partitionOf()).distinct().count());
    }

    /** A 16 x 16 mesh of 4 components per node, where the nodes of the first 4 rows hold all the work. */
    static Assembly lopsided() {
        Assembly.Builder b = Assembly.builder(1);
        for (int node = 0; node < 256; node++) {
            for (int c = 0; c < 4; c++) {
                int id = b.add("phold", "c" + node + "." + c, node, Phold.ports(0), () -> new Phold(0, 0, 0, 0));
                if (node < 64) b.weigh(id, 1000);
            }
        }
        return b.build();
    }

    @Test
    void cutsBalanceWeightNotComponentCount() {
        Assembly a = lopsided();
        Placement p = Placement.byLocality(a, 2);
        long[] weights = p.weights(a), components = p.components();
        long total = weights[0] + weights[1];
        // the busy quarter splits in two: partition 0 has 32 nodes, partition 1 the other 224
        assertEquals(List.of(128L, 896L), List.of(components[0], components[1]));
        assertTrue(Math.abs(weights[0] - weights[1]) <= 4 * 1000, "within one node's weight: " + java.util.Arrays.toString(weights));
        assertTrue(Math.abs(weights[0] - total / 2) < total / 100, java.util.Arrays.toString(weights));
        for (int id = 1; id < a.size(); id++) assertTrue(p.partitionOf()[id] >= p.partitionOf()[id - 1], "contiguous");
    }

    @Test
    void everyPartitionGetsAUnitEvenWhenOneOutweighsTheRest() {
        Assembly.Builder b = Assembly.builder(1);
        for (int node = 0; node < 4; node++) {
            int id = b.add("phold", "c" + node, node, Phold.ports(0), () -> new Phold(0, 0, 0, 0));
            if (node == 0) b.weigh(id, 1_000_000);
        }
        Placement p = Placement.byLocality(b.build(), 3);
        assertArrayEquals(new int[] {0, 1, 2, 2}, p.partitionOf());
        Placement last = Placement.byLocality(of(4), 4);
        assertArrayEquals(new int[] {0, 1, 2, 3}, last.partitionOf());
    }

    @Test
    void equalWeightsSplitByCountAndWholeChipsStayWhole() {
        Placement p = Placement.byLocality(of(100), 4);
        assertArrayEquals(new long[] {25, 25, 25, 25}, p.components());
        Assembly.Builder b = Assembly.builder(1);
        for (int node = 0; node < 64; node++) { // 4 chips of 16 nodes; chip 0 is busy
            int id = b.add("phold", "c" + node, node, Phold.ports(0), () -> new Phold(0, 0, 0, 0));
            if (node < 16) b.weigh(id, 100);
        }
        Placement chips = Placement.byLocality(b.build(), 2, 16);
        for (int i = 0; i < 64; i++) assertEquals(i < 16 ? 0 : 1, chips.partitionOf()[i], "the busy chip alone: component " + i);
    }

    @Test
    void aRunOfOnePartitionRunsOnOneThreadAndOfSeveralOnAll() {
        assertEquals(1, Placement.threadsFor(sized(Placement.SPLIT_FROM_COMPONENTS - 1), 0, 8), "one partition by choice");
        assertEquals(8, Placement.threadsFor(sized(Placement.SPLIT_FROM_COMPONENTS), 0, 8), "a partition a thread by choice");
        assertEquals(1, Placement.threadsFor(sized(Placement.SPLIT_FROM_COMPONENTS), 1, 8), "one partition by the scenario");
        assertEquals(8, Placement.threadsFor(sized(16), 2, 8), "two partitions by the scenario");
        assertEquals(1, Placement.threadsFor(sized(Placement.SPLIT_FROM_COMPONENTS), 0, 1));
    }

    private static Assembly sized(int components) {
        Assembly.Builder b = Assembly.builder(1);
        for (int i = 0; i < components; i++) b.add("phold", "phold" + i, i, Phold.ports(0), () -> new Phold(0, 0, 0, 1));
        return b.build();
    }
}
