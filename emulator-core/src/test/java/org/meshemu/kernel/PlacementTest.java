package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
