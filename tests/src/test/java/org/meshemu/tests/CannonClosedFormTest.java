package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;

/**
 * Cannon's GEMM on a P x P mesh without contention takes exactly {@link CannonClosedForm}'s time, to
 * the picosecond, in the compute-, shift- and SRAM-bound regimes, for even and odd P, and the
 * closed form agrees with the per-core max-plus recurrence it is derived from over a grid of rates.
 */
class CannonClosedFormTest {
    static final int TILE = 16; // b: each core's tiles are 16 x 16 fp32 = 1024 bytes
    @TempDir Path out;

    private void check(int p, String... hardware) {
        int n = TILE * p;
        String[] overrides = Scenarios.concat(hardware, "hardware.noc.width=" + p, "hardware.noc.height=" + p,
                "workload.m=" + n, "workload.n=" + n, "workload.k=" + n, "run.threads=2");
        LoadedScenario s = Scenarios.shipped("default", overrides);
        Scenario.Hardware hw = s.scenario().hardware();
        long expected = CannonClosedForm.cycles(hw, p, TILE) * hw.get(CoreSpec.class).cyclePs();
        assertEquals(expected, CannonClosedForm.recurrenceCycles(CannonClosedForm.Costs.of(hw, TILE), p) * hw.get(CoreSpec.class).cyclePs(), "the recurrence, P = " + p);
        assertEquals(expected, Scenarios.run(s, out).simulatedTimePs(), "P = " + p);
    }

    @ParameterizedTest(name = "P = {0}, compute-bound")
    @ValueSource(ints = {2, 3, 4, 5, 8})
    void computeBoundCannonMatchesTheClosedForm(int p) {
        // 2 x 16^3 / 64 = 128 compute cycles per step; a 2-hop shift of 1 KiB at 32 B/cycle takes 72.
        check(p, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.instructionOverheadCycles=2");
    }

    @Test
    void shiftBoundCannonOnTwoByTwoMatchesTheClosedForm() {
        // 1 KiB at 4 B/cycle: 256 cycles a hop against 2 cycles of compute.
        check(2, "hardware.core.matrixFlopsPerCycle.fp32=8192", "hardware.noc.link.bytesPerCycle=4",
                "hardware.noc.link.latencyCycles=3", "hardware.noc.routerDelayCycles=2");
    }

    @ParameterizedTest(name = "P = {0}, shift-bound")
    @ValueSource(ints = {3, 4, 5, 6, 8})
    void shiftBoundCannonMatchesTheClosedForm(int p) {
        // 256 cycles a hop against 2 of compute: every core waits on its shifts, 1- and 2-hop ones alike
        check(p, "hardware.core.matrixFlopsPerCycle.fp32=8192", "hardware.noc.link.bytesPerCycle=4",
                "hardware.noc.link.latencyCycles=3", "hardware.noc.routerDelayCycles=2");
    }

    @ParameterizedTest(name = "P = {0}, shift-bound by a little (the shipped GEMMs' regime)")
    @ValueSource(ints = {4, 6})
    void barelyShiftBoundCannonMatchesTheClosedForm(int p) {
        // a 2-hop shift step: 3 + 1 + 2 (1 + 32 + 1) + 1 = 73 cycles; the own-work step 4 + 1 + 64 = 69; a 1-hop step 39
        check(p, "hardware.core.matrixFlopsPerCycle.fp32=128");
    }

    @Test
    void theShippedGemmsTakeTheClosedForm() {
        // shift-bound by 4 cycles a step: the older formula, (P - 1) a(2), gave 2949 cycles for the default
        LoadedScenario d = Scenarios.shipped("default");
        assertEquals(2_945_000, CannonClosedForm.cycles(d.scenario().hardware(), 8, 32) * d.scenario().hardware().get(CoreSpec.class).cyclePs());
        assertEquals(2_945_000, Scenarios.run(d, out.resolve("default")).simulatedTimePs());
        LoadedScenario big = Scenarios.shipped("gemm-cannon-8x8", "run.payload=timing");
        assertEquals(9_857_000, CannonClosedForm.cycles(big.scenario().hardware(), 8, 64) * big.scenario().hardware().get(CoreSpec.class).cyclePs());
        assertEquals(9_857_000, Scenarios.run(big, out.resolve("big")).simulatedTimePs());
    }

    @Test
    void theClosedFormIsTheRecurrencesLongestPath() {
        int checked = 0;
        for (long o : new long[] {0, 1, 3}) {
            for (long g : new long[] {2, 50, 70, 140, 400}) {
                for (long x1 = 5; x1 <= 400; x1 += 35) {
                    for (long perHop : new long[] {3, 30, 90}) {
                        var c = new CannonClosedForm.Costs(o, 40, g - 1, g, x1, x1 + perHop);
                        for (int p = 1; p <= 10; p++) {
                            assertEquals(CannonClosedForm.recurrenceCycles(c, p), CannonClosedForm.cycles(c, p), c + ", P = " + p);
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 1000);
    }

    @Test
    void sramBoundCannonMatchesTheClosedForm() {
        // 4 KiB moved per accumulating gemm at 16 B/cycle: 256 SRAM cycles against 128 of compute.
        check(4, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.sramBytesPerCycle=16");
    }

    @Test
    void aSlowerClockScalesTheSameCycleCount() {
        check(4, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.clockGHz=0.8");
    }
}
