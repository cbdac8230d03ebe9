package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.deploy.Runner;
import org.meshemu.dram.DramPresets;
import org.meshemu.dram.mapping.AddressMappings;
import org.meshemu.scenario.InputException;

/**
 * Every extension point is a registry filled from {@code META-INF/services}: each finds the names
 * docs/ARCHITECTURE.md documents, and an unknown name in a scenario fails at load with the one
 * message shape, naming the file and the field and listing the registered names.
 */
class RegistriesTest {
    /** A small GEMV: it has cores, DRAM banks and a mesh, so every hardware registry is consulted. */
    private static final String[] GEMV = {"workload.rows=256", "workload.cols=256"};
    private static final String[] TWO_CHIPS = {"hardware.chips.count=2", "hardware.chips.link.bytesPerCycle=8", "hardware.chips.link.latencyCycles=10"};

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "hardware.noc.topology      | all-to-all, mesh2d, torus2d                  |",
        "hardware.noc.routing       | xy, yx                                       |",
        "hardware.noc.router        | ideal, vc                                    |",
        "hardware.noc.flowControl   | cut-through, store-and-forward               |",
        "hardware.noc.vc.allocator  | islip, separable-input-first                 | hardware.noc.router=vc",
        "hardware.chips.topology    | all-to-all, mesh2d, ring, torus2d            | two chips of traffic",
        "hardware.dram.preset       | fixed, hbm3-channel, stacked-3d-bank         |",
        "hardware.dram.scheduler    | fcfs, frfcfs                                 |",
        "workload.kind              | gemm, generate, gnn, gemv, layers, synthetic-traffic |",
    })
    void anUnknownHardwareOrWorkloadNameIsRefusedListingTheRegisteredNames(String field, String names, String also) {
        String expected = field + ": must be one of " + sorted(names) + ", got 'hexagon'";
        if ("two chips of traffic".equals(also)) { // a GEMV maps onto one chip only
            String[] overrides = Scenarios.concat(TWO_CHIPS, field + "=hexagon");
            InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.inline(NocInputTest.TRAFFIC, overrides)));
            assertEquals("test.yaml: " + expected, e.getMessage());
            return;
        }
        String[] overrides = also == null ? Scenarios.concat(GEMV, field + "=hexagon") : Scenarios.concat(GEMV, field + "=hexagon", also);
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("gemv-tree-16x16", overrides)));
        assertEquals("../scenarios/gemv-tree-16x16.yaml: " + expected, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "workload.mapping   | auto, compute-shift, row-split, tree-reduce",
        "workload.experts   | expert-parallel, grouped, sliced",
        "workload.bitLinear | dequantise, lut",
        "model.family       | bitnet, phi3, phimoe, retnet",
    })
    void anUnknownLoweringNameIsRefusedListingTheRegisteredNames(String field, String names) {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("bitnet-tiny-mesh", field + "=hexagon")));
        assertEquals("../scenarios/bitnet-tiny-mesh.yaml: " + field + ": must be one of " + sorted(names) + ", got 'hexagon'", e.getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "gemv-tree-16x16 | workload.reduction | central, ring, tree",
        "gemm-cannon-8x8 | workload.algorithm | cannon, gather, summa",
    })
    void anUnknownLinearAlgebraVariantIsRefusedListingTheRegisteredNames(String scenario, String field, String names) {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped(scenario, field + "=hexagon")));
        assertEquals("../scenarios/" + scenario + ".yaml: " + field + ": must be one of " + sorted(names) + ", got 'hexagon'", e.getMessage());
    }

    @Test
    void anUnknownTrafficPatternIsRefusedListingTheRegisteredNames() {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("noc-uniform-8x8", "workload.pattern=hexagon")));
        assertEquals("../scenarios/noc-uniform-8x8.yaml: workload.pattern: must be one of " + sorted("bit-complement, hotspot, neighbor, transpose, uniform")
                + ", got 'hexagon'", e.getMessage());
    }

    /** The registries no scenario field names directly: the DRAM standards' address mappings, and the standards among the memory models. */
    @Test
    void theDramStandardsAndTheirAddressMappingsAreRegistered() {
        assertEquals(List.of("row-bank-column", "row-bank-column-bankgroup", "row-column-bank"), AddressMappings.REGISTRY.names());
        assertEquals(List.of("hbm3-channel", "stacked-3d-bank"), DramPresets.names());
        for (String standard : DramPresets.names()) {
            assertEquals(standard, DramPresets.get(standard).name(), "a standard is registered under its own name");
        }
    }

    private static String sorted(String names) {
        return List.of(names.split(",\\s*")).stream().sorted().toList().toString();
    }
}
