package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.deploy.Runner;
import org.meshemu.scenario.InputException;

/** Bad NoC, chip and synthetic-traffic input fails before anything runs, naming path, value and expectation. */
class NocInputTest {
    static final String TRAFFIC = """
            name: bad
            hardware: {noc: {width: 8, height: 8}}
            workload: {kind: synthetic-traffic}
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hardware.noc.maxPacketBytes=-1 | | hardware.noc.maxPacketBytes: must be >= 0, got -1",
        "hardware.noc.topology=hypercube | | hardware.noc.topology: must be one of [all-to-all, mesh2d, torus2d], got 'hypercube'",
        "hardware.noc.routing=adaptive | | hardware.noc.routing: must be one of [xy, yx], got 'adaptive'",
        "hardware.chips.count=2 | hardware.chips.topology=star | hardware.chips.link.bandwidthGBps: must be given (or bytesPerCycle) when count > 1, got nothing",
        "hardware.chips.count=3 | hardware.chips.width=2 | hardware.chips.width: must be a divisor of count 3, got 2",
        "hardware.chips.link.bytesPerCycle=4 | hardware.chips.link.bandwidthGBps=4 | hardware.chips.link.bandwidthGBps: must be absent when bytesPerCycle is given, got 4.0",
        "hardware.chips.ports.up=3 | | hardware.chips.ports.up (the key): must be one of [east, west, north, south, gateway], got 'up'",
        "hardware.chips.ports.east=64 | | hardware.chips.ports.east: must be an on-chip node in 0..63, got 64",
        "workload.injectionRate=0 | | workload.injectionRate: must be in (0, 1] packets per node per cycle, got 0.0",
        "workload.injectionRate=1.01 | | workload.injectionRate: must be in (0, 1] packets per node per cycle, got 1.01",
        "workload.pattern=tornado | | workload.pattern: must be one of [bit-complement, hotspot, neighbor, transpose, uniform], got 'tornado'",
        "workload.hotspots=[64] | | workload.hotspots.0: must be an endpoint in 0..63, got 64",
        "workload.pattern=transpose | hardware.noc.width=4 | workload.pattern: must be a square grid (hardware.noc.width == height x hardware.chips.count) for transpose, got 'transpose' on a 4x8 grid of endpoints",
        "workload.packetBytes=0 | | workload.packetBytes: must be >= 1, got 0",
    })
    void isRejectedWithItsPath(String set, String alsoSet, String expected) {
        String[] overrides = alsoSet == null ? new String[] {set} : new String[] {set, alsoSet};
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.inline(TRAFFIC, overrides)));
        assertEquals("test.yaml: " + expected, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hardware.chips.topology=star | | hardware.chips.topology: must be one of [all-to-all, mesh2d, ring, torus2d], got 'star'",
        "hardware.noc.topology=all-to-all | hardware.chips.ports.east=1 | hardware.chips.ports: must be empty for 'all-to-all' chips (every exchange port drives the chip links), got {east=1}",
    })
    void isRejectedOnTwoChips(String set, String alsoSet, String expected) {
        String[] twoChips = {"hardware.chips.count=2", "hardware.chips.link.bytesPerCycle=8", "hardware.chips.link.latencyCycles=10", set};
        String[] overrides = alsoSet == null ? twoChips : Scenarios.concat(twoChips, alsoSet);
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.inline(TRAFFIC, overrides)));
        assertEquals("test.yaml: " + expected, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aSingleChipWorkloadOnSeveralChipsNamesTheChipCount() {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("default", "hardware.chips.count=2",
                "hardware.chips.link.bytesPerCycle=8", "hardware.chips.link.latencyCycles=10")));
        assertEquals("../scenarios/default.yaml: hardware.chips.count: must be 1 for this workload: it maps onto one chip (64 programs for 128 cores), got 2",
                e.getMessage());
    }
}
