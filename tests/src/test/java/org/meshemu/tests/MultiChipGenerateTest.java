package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.report.RunReport;

/**
 * Generation on several chips: every family's tiny model on 4 chips of 2 x 2 cores (a 2 x 2 chip grid)
 * and on 2 chips of 3 x 3 (a chip core count that is not a power of two), by each mapping (compute-shift's
 * ring crossing chips too): logits within 1e-5 of the reference (row-split: bit for bit), the same tokens,
 * and the same output bits on 1, 2 and 4 partitions.
 */
class MultiChipGenerateTest {
    @TempDir Path out;

    private static final String[] FOUR_CHIPS_OF_2X2 = {"hardware.chips.count=4", "hardware.chips.topology=mesh2d", "hardware.chips.width=2",
        "hardware.noc.width=2", "hardware.noc.height=2"};
    private static final String[] TWO_CHIPS_OF_3X3 = {"hardware.chips.count=2", "hardware.chips.topology=mesh2d",
        "hardware.noc.width=3", "hardware.noc.height=3"};

    static Stream<Arguments> cases() {
        return Stream.of("retnet-tiny-mesh", "bitnet-tiny-mesh", "phimoe-tiny-mesh").flatMap(s -> Stream.of("4 chips of 2x2", "2 chips of 3x3")
                .flatMap(chips -> Stream.of("row-split", "tree-reduce", "compute-shift").map(m -> Arguments.of(s, chips, m))));
    }

    @ParameterizedTest(name = "{0} on {1} by {2}")
    @MethodSource("cases")
    void logitsTokensAndBitsHoldOnEveryPartitioning(String scenario, String chips, String mapping) {
        String[] hardware = Scenarios.concat(chips.startsWith("4") ? FOUR_CHIPS_OF_2X2 : TWO_CHIPS_OF_3X3,
                "hardware.chips.link.bandwidthGBps=100", "hardware.chips.link.latencyNs=500", "workload.mapping=" + mapping,
                "workload.decodeSteps=4", "run.threads=2");
        RunReport one = Scenarios.run(scenario, out.resolve("p1"), Scenarios.concat(hardware, "run.partitions=1"));
        assertTrue(one.reference().maxRelError() <= 1e-5, "max rel error " + one.reference().maxRelError());
        if (mapping.equals("row-split")) assertEquals(0.0, one.reference().maxAbsError(), "row-split computes the reference's dot products");
        assertEquals(Boolean.TRUE, one.reference().tokensMatch());
        assertTrue(one.generation().timePerOutputTokenPs() > 0);
        for (int partitions : new int[] {2, 4}) {
            RunReport r = Scenarios.run(scenario, out.resolve("p" + partitions), Scenarios.concat(hardware, "run.partitions=" + partitions));
            assertEquals(one.outputDigest(), r.outputDigest(), partitions + " partitions");
            assertEquals(one.simulatedTimePs(), r.simulatedTimePs(), partitions + " partitions");
        }
    }
}
