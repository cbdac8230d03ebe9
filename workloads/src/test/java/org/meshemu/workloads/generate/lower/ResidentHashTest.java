package org.meshemu.workloads.generate.lower;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResidentHashTest {

    @Test
    void neighbouringCoresAndValuesHashApart() {
        // two chips of 1,024 cores and the values of a few layers: the record's default hash (31 core + value)
        // gives 64,481 distinct codes for these 2,097,152 keys
        Set<Integer> codes = new HashSet<>();
        int cores = 2048, values = 1024;
        for (int core = 0; core < cores; core++) {
            for (int value = 0; value < values; value++) codes.add(new Collectives.Resident(core, value).hashCode());
        }
        assertTrue(codes.size() > 0.99 * cores * values, codes.size() + " distinct hash codes for " + cores * values + " keys");
    }
}
